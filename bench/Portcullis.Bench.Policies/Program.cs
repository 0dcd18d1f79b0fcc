using System.Globalization;
using System.Runtime;
using Portcullis.Bench.Policies;

// Usage: dotnet run -c Release --project bench/Portcullis.Bench.Policies -- [--sizes 10,100,1000,10000] [--seconds 3] [--rounds 5] [--warmup 1] [--seed 42]
var options = Options.Parse(args);
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Format(inv, "Portcullis policy engine: in-process decision latency ({0}, {1} cores, {2} GC)", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, Environment.ProcessorCount, GCSettings.IsServerGC ? "server" : "workstation"));
Console.WriteLine(string.Format(inv, "{0} rounds of {1:F1} s per size (sizes interleaved), each after {2:F1} s warm-up; medians over rounds; 20 action types, ~5% action-type-agnostic policies; seed {3}", options.Rounds, options.Seconds, options.Warmup, options.Seed));
Console.WriteLine();
Console.WriteLine("| policies | compile (ms) | p50 (µs) | p99 (µs) | decisions/s | allocated (B/decision) | matched/decision | VelocityQueriesFor p50 (µs) |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

var workloads = options.Sizes.Select(size => Workload.Create(size, options.Seed)).ToList();
var rounds = workloads.Select(_ => new List<SizeResult>()).ToList();
for (var round = 0; round < options.Rounds; round++)
{
    for (var i = 0; i < workloads.Count; i++)
    {
        rounds[i].Add(Measurement.Run(workloads[i], options.Seconds, options.Warmup));
    }
}

var results = rounds.Select(SizeResult.Median).ToList();
foreach (var r in results)
{
    Console.WriteLine(string.Format(inv, "| {0:N0} | {1:F0} | {2:F2} | {3:F2} | {4:N0} | {5:F0} | {6:F1} | {7:F2} |", r.Policies, r.CompileMs, r.P50Us, r.P99Us, r.DecisionsPerSecond, r.BytesPerDecision, r.MatchedPerDecision, r.QueriesP50Us));
}

if (results.Count > 1)
{
    var (first, last) = (results[0], results[^1]);
    Console.WriteLine();
    Console.WriteLine(string.Format(inv, "Growth {0:N0} → {1:N0} policies ({2:N0}x): p50 x{3:F1}, p99 x{4:F1}", first.Policies, last.Policies, (double)last.Policies / first.Policies, last.P50Us / first.P50Us, last.P99Us / first.P99Us));
}

return 0;

internal sealed record Options(int[] Sizes, double Seconds, int Rounds, double Warmup, int Seed)
{
    public static Options Parse(string[] args)
    {
        var options = new Options([10, 100, 1_000, 10_000], 3, 5, 1, 42);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--sizes" => options with { Sizes = [.. value.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = Math.Max(1, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = double.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --sizes, --seconds, --rounds, --warmup or --seed"),
            };
        }

        return options;
    }
}
