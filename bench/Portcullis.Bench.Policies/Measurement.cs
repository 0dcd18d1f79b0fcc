using System.Diagnostics;
using Portcullis.Policies;

namespace Portcullis.Bench.Policies;

/// <summary>
/// Times <see cref="PolicySet.Evaluate"/> call by call with <see cref="Stopwatch.GetTimestamp"/>, cycling
/// through the requests, after a warm-up long enough for tiered JIT to reach optimized code.
/// </summary>
internal static class Measurement
{
    public static SizeResult Run(Workload w, double seconds, double warmupSeconds)
    {
        Loop(w, warmupSeconds, samples: null, out _, out _);

        var samples = new long[EstimateCalls(w, seconds)];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var elapsed = Loop(w, seconds, samples, out var calls, out var matched);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var recorded = (int)Math.Min(calls, samples.Length);
        Array.Sort(samples, 0, recorded);
        var queries = TimeVelocityQueries(w);
        return new SizeResult(
            w.Set.Count,
            w.CompileMs,
            Percentile(samples, recorded, 50),
            Percentile(samples, recorded, 99),
            calls / elapsed.TotalSeconds,
            (double)allocated / calls,
            (double)matched / calls,
            queries);
    }

    /// <summary>p50 of <see cref="PolicySet.VelocityQueriesFor"/>, the call the server makes before each evaluation.</summary>
    private static double TimeVelocityQueries(Workload w)
    {
        var samples = new long[20_000];
        for (var n = 0; n < samples.Length; n++)
        {
            var before = Stopwatch.GetTimestamp();
            w.Set.VelocityQueriesFor(w.Requests[n % w.Requests.Count]);
            samples[n] = Stopwatch.GetTimestamp() - before;
        }

        Array.Sort(samples);
        return Percentile(samples, samples.Length, 50);
    }

    private static TimeSpan Loop(Workload w, double seconds, long[]? samples, out long calls, out long matched)
    {
        var (set, requests, velocity) = (w.Set, w.Requests, w.Velocity);
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(seconds * Stopwatch.Frequency);
        calls = 0;
        matched = 0;
        long now;
        do
        {
            var i = (int)(calls % requests.Count);
            var before = Stopwatch.GetTimestamp();
            var result = set.Evaluate(requests[i], PolicyDecision.Allow, velocity[i]);
            now = Stopwatch.GetTimestamp();
            if (samples is not null && calls < samples.Length)
            {
                samples[calls] = now - before;
            }

            matched += result.Matched.Count;
            calls++;
        }
        while (now < end);

        return Stopwatch.GetElapsedTime(start, now);
    }

    /// <summary>Sizes the sample buffer from a short probe so every call of the timed run is recorded.</summary>
    private static int EstimateCalls(Workload w, double seconds)
    {
        var probe = Loop(w, 0.2, null, out var calls, out _);
        var estimate = calls / probe.TotalSeconds * seconds * 1.5;
        return (int)Math.Clamp(estimate, 1_000, 200_000_000);
    }

    private static double Percentile(long[] sorted, int count, double percentile)
    {
        var index = (int)Math.Clamp(Math.Ceiling(percentile / 100 * count) - 1, 0, count - 1);
        return sorted[index] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
