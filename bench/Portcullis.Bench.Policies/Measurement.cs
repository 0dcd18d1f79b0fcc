using System.Diagnostics;
using Portcullis.Policies;

namespace Portcullis.Bench.Policies;

/// <summary>One size's figures.</summary>
internal sealed record SizeResult(int Policies, double CompileMs, double P50Us, double P99Us, double DecisionsPerSecond, double BytesPerDecision, double MatchedPerDecision);

/// <summary>
/// Times <see cref="PolicySet.Evaluate"/> call by call with <see cref="Stopwatch.GetTimestamp"/>, cycling
/// through the requests, after a warm-up long enough for tiered JIT to reach optimized code.
/// </summary>
internal static class Measurement
{
    public static SizeResult Run(int size, double seconds, double warmupSeconds, int seed)
    {
        var definitions = PolicyGenerator.Generate(size, seed);
        var compileStart = Stopwatch.GetTimestamp();
        var compiled = PolicySet.Compile(definitions);
        var compileMs = Stopwatch.GetElapsedTime(compileStart).TotalMilliseconds;
        if (!compiled.Success)
        {
            throw new InvalidOperationException("generated policies do not compile: " + string.Join("; ", compiled.DiagnosticsByPolicyId.First().Value));
        }

        var set = compiled.Set;
        var requests = RequestGenerator.Generate(200, seed + 1);

        // Velocity figures are looked up before evaluation, as the server does; that lookup is not timed.
        var velocity = requests.Select(r => (IReadOnlyDictionary<VelocityQuery, decimal>)set.VelocityQueriesFor(r).ToDictionary(q => q, _ => 3m)).ToArray();

        Loop(set, requests, velocity, warmupSeconds, samples: null, out _, out _);

        var samples = new long[EstimateCalls(set, requests, velocity, seconds)];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var elapsed = Loop(set, requests, velocity, seconds, samples, out var calls, out var matched);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var recorded = (int)Math.Min(calls, samples.Length);
        Array.Sort(samples, 0, recorded);
        return new SizeResult(
            size,
            compileMs,
            Percentile(samples, recorded, 50),
            Percentile(samples, recorded, 99),
            calls / elapsed.TotalSeconds,
            (double)allocated / calls,
            (double)matched / calls);
    }

    private static TimeSpan Loop(PolicySet set, List<ActionContext> requests, IReadOnlyDictionary<VelocityQuery, decimal>[] velocity, double seconds, long[]? samples, out long calls, out long matched)
    {
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
    private static int EstimateCalls(PolicySet set, List<ActionContext> requests, IReadOnlyDictionary<VelocityQuery, decimal>[] velocity, double seconds)
    {
        var probe = Loop(set, requests, velocity, 0.2, null, out var calls, out _);
        var estimate = calls / probe.TotalSeconds * seconds * 1.5;
        return (int)Math.Clamp(estimate, 1_000, 200_000_000);
    }

    private static double Percentile(long[] sorted, int count, double percentile)
    {
        var index = (int)Math.Clamp(Math.Ceiling(percentile / 100 * count) - 1, 0, count - 1);
        return sorted[index] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
