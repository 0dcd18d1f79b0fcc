using System.Diagnostics;
using Portcullis.Policies;

namespace Portcullis.Bench.Policies;

/// <summary>One size's figures.</summary>
internal sealed record SizeResult(int Policies, double CompileMs, double P50Us, double P99Us, double DecisionsPerSecond, double BytesPerDecision, double MatchedPerDecision, double QueriesP50Us)
{
    /// <summary>The median of each figure over several rounds: the machine is shared, and one noisy round should not decide.</summary>
    public static SizeResult Median(IReadOnlyList<SizeResult> rounds) => new(
        rounds[0].Policies,
        rounds[0].CompileMs,
        MedianOf(rounds.Select(r => r.P50Us)),
        MedianOf(rounds.Select(r => r.P99Us)),
        MedianOf(rounds.Select(r => r.DecisionsPerSecond)),
        MedianOf(rounds.Select(r => r.BytesPerDecision)),
        MedianOf(rounds.Select(r => r.MatchedPerDecision)),
        MedianOf(rounds.Select(r => r.QueriesP50Us)));

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
