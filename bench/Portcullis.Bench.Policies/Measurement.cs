using System.Diagnostics;
using Portcullis.Policies;

namespace Portcullis.Bench.Policies;

/// <summary>One size's figures.</summary>
internal sealed record SizeResult(int Policies, double CompileMs, double P50Us, double P99Us, double DecisionsPerSecond, double BytesPerDecision, double MatchedPerDecision)
{
    /// <summary>The median of each figure over several rounds: the machine is shared, and one noisy round should not decide.</summary>
    public static SizeResult Median(IReadOnlyList<SizeResult> rounds) => new(
        rounds[0].Policies,
        rounds[0].CompileMs,
        MedianOf(rounds.Select(r => r.P50Us)),
        MedianOf(rounds.Select(r => r.P99Us)),
        MedianOf(rounds.Select(r => r.DecisionsPerSecond)),
        MedianOf(rounds.Select(r => r.BytesPerDecision)),
        MedianOf(rounds.Select(r => r.MatchedPerDecision)));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>A compiled set with its generated requests and their velocity figures.</summary>
internal sealed record Workload(PolicySet Set, double CompileMs, List<ActionContext> Requests, IReadOnlyDictionary<VelocityQuery, decimal>[] Velocity)
{
    public static Workload Create(int size, int seed)
    {
        var definitions = PolicyGenerator.Generate(size, seed);
        var compileStart = Stopwatch.GetTimestamp();
        var compiled = PolicySet.Compile(definitions);
        var compileMs = Stopwatch.GetElapsedTime(compileStart).TotalMilliseconds;
        if (!compiled.Success)
        {
            throw new InvalidOperationException("generated policies do not compile: " + string.Join("; ", compiled.DiagnosticsByPolicyId.First().Value));
        }

        var requests = RequestGenerator.Generate(200, seed + 1);

        // Velocity figures are looked up before evaluation, as the server does; that lookup is not timed.
        var velocity = requests
            .Select(r => (IReadOnlyDictionary<VelocityQuery, decimal>)compiled.Set.VelocityQueriesFor(r).ToDictionary(q => q, _ => 3m))
            .ToArray();
        return new Workload(compiled.Set, compileMs, requests, velocity);
    }
}

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
        return new SizeResult(
            w.Set.Count,
            w.CompileMs,
            Percentile(samples, recorded, 50),
            Percentile(samples, recorded, 99),
            calls / elapsed.TotalSeconds,
            (double)allocated / calls,
            (double)matched / calls);
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
