using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace Portcullis.Bench;

/// <summary>
/// Workflow runs end to end (<see cref="DemoWorkflow"/>: five steps, all allowed and executed by the demo connector): N
/// clients each start a run and long-poll it until it ends, then start the next. Reports completed runs per second and
/// the latency from sending the start to receiving the completed run, on SQLite and then on PostgreSQL, each in a fresh
/// store. <c>--check</c> reads every measured run back afterwards and checks its five steps.
/// </summary>
public static class WorkflowsBench
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var clients = args.Int("clients", 8);
        var seconds = args.Int("seconds", 15);
        // Long enough for tiered compilation to finish: with 3 s, perf still found a fifth of the server's samples in the JIT
        // and most workflow code at tier 0 ten seconds into the measurement.
        var warmUp = args.Int("warmup", 15);
        var failed = false;
        foreach (var name in (args.String("store") ?? args.String("stores") ?? "sqlite,postgres").Split(','))
        {
            await using var store = await BenchStore.OpenAsync(args, name);
            var (ok, started) = await RunOnStoreAsync(name, store.ServerEnvironment, clients, (warmUp, seconds), args.Flag("check"));
            failed |= !ok;
            if (store.Postgres is { } scratch)
            {
                // Independent of how busy the machine is: what each run costs the database in round trips that commit.
                var committed = await scratch.CommittedTransactionsAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-8}  {(double)committed / started:F1} committed transactions per run (reads outside a transaction included; {started} runs with the warm-up)"));
            }
        }

        return failed ? 1 : 0;
    }

    private static async Task<(bool Ok, long Started)> RunOnStoreAsync(string store, Dictionary<string, string> environment, int clients, (int WarmUp, int Measured) seconds, bool check)
    {
        await using var server = await ServerProcess.StartAsync(environment);
        var workflowId = await DemoWorkflow.CreateAsync(server.Url);
        Console.WriteLine($"workflows on {store}: {clients} clients, {DemoWorkflow.StepCount}-step demo workflow {workflowId}, {seconds.WarmUp} s warm-up, {seconds.Measured} s, server {server.Url}");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2 }) { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.AgentKey);
        var driver = new WorkflowClients(http, workflowId);
        await driver.DriveAsync(clients, TimeSpan.FromSeconds(seconds.WarmUp), new Latencies(), null); // JIT tiers, pools, caches
        var warmUpFailures = driver.Failures;

        var measured = new Latencies();
        var runIds = new ConcurrentQueue<string>();
        var cpuBefore = server.CpuTime;
        var clock = Stopwatch.StartNew();
        var completed = await driver.DriveAsync(clients, TimeSpan.FromSeconds(seconds.Measured), measured, runIds);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = server.CpuTime - cpuBefore;
        var failures = driver.Failures - warmUpFailures;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store,-8}  {completed / elapsed,6:F0} runs/s   p50 {measured.Percentile(50),6:F2} ms   p99 {measured.Percentile(99),6:F2} ms   max {measured.Percentile(100),7:F2} ms   ({completed} completed, {failures} failed)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{store,-8}  server CPU per run: {cpu.TotalMicroseconds / Math.Max(1, completed):F0} µs"));
        var bad = check ? await driver.CheckAsync(runIds) : 0;
        if (check)
        {
            Console.WriteLine($"{store,-8}  check: {runIds.Count - bad} of {runIds.Count} runs completed with {DemoWorkflow.StepCount} completed steps, each with an action request");
        }

        foreach (var example in driver.Examples)
        {
            Console.WriteLine($"{store,-8}  error: {example}");
        }

        return (driver.Failures == 0 && bad == 0, driver.Started);
    }
}
