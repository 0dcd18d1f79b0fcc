using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portcullis.Bench;

/// <summary>
/// requestAction (a refund the default policy allows, executed by the demo connector) under load, reporting
/// requests/s and latency percentiles. Two shapes of load:
/// <list type="bullet">
/// <item><c>--clients N</c> (closed loop): N agents, each sending its next request when the last is answered.</item>
/// <item><c>--rate R</c> (open loop): R requests per second on a fixed schedule, whatever the answers do. Latency is
/// counted from the moment a request was due, not from when it was sent, so a server that falls behind cannot hide
/// its queue (no coordinated omission).</item>
/// </list>
/// </summary>
public static class ActionsBench
{
    private const int Runs = 32;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var clients = args.Int("clients", 16);
        var rate = args.Int("rate", 0);
        var seconds = args.Int("seconds", 20);
        var custom = args.String("action") == "custom"; // a custom action type: decided and recorded, never dispatched
        await using var store = await BenchStore.OpenAsync(args);
        await using var server = await ServerProcess.StartAsync(store.ServerEnvironment);
        var load = rate > 0 ? $"{rate} requests/s on a fixed schedule" : $"{clients} clients";
        Console.WriteLine($"actions: {load}, requestAction (allow, demo Stripe refund), {seconds} s, {store.Describe()}, server {server.Url}");
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = rate > 0 ? args.Int("connections", 32) : clients * 2 }) { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.AgentKey);
        var bodies = await Task.WhenAll(Enumerable.Range(0, rate > 0 ? Runs : clients).Select(_ => BodyForNewRunAsync(http, custom)));

        Func<TimeSpan, Latencies, Latencies, Task<long>> drive = rate > 0
            ? (duration, latencies, lateness) => DriveAtRateAsync(http, bodies, rate, duration, latencies, lateness)
            : (duration, latencies, _) => DriveClientsAsync(http, bodies, duration, latencies);
        // Warm-up: JIT tiers, connection pools, caches. On PostgreSQL give 15 s: after 3 s perf still found a fifth of the
        // server's samples in the JIT, since the slower requests reach the tiering thresholds later.
        await drive(TimeSpan.FromSeconds(args.Int("warmup", 3)), new Latencies(), new Latencies());
        var measured = new Latencies();
        var lateness = new Latencies();
        var cpuBefore = server.CpuTime;
        var databaseBefore = store.DatabaseCpuTime;
        var clock = Stopwatch.StartNew();
        var requests = await drive(TimeSpan.FromSeconds(seconds), measured, lateness);
        var achieved = requests / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server:   {achieved,8:F0} requests/s   p50 {measured.Percentile(50),6:F2} ms   p99 {measured.Percentile(99),6:F2} ms   max {measured.Percentile(100),7:F2} ms   ({requests} requests)"));
        if (rate > 0)
        {
            // How late the generator itself sent requests: if this grows, the figures measure the generator.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sent late by: p50 {lateness.Percentile(50):F2} ms   p99 {lateness.Percentile(99):F2} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server CPU per request: {(server.CpuTime - cpuBefore).TotalMicroseconds / requests:F0} µs"));
        if (store.DatabaseCpuTime - databaseBefore is { } database)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"database CPU per request: {database.TotalMicroseconds / requests:F0} µs"));
        }
        return 0;
    }

    private static async Task<byte[]> BodyForNewRunAsync(HttpClient http, bool custom)
    {
        var start = await http.PostAsync("/api/ingest/run-start", new StringContent("""{"triggerType":"bench"}""", Encoding.UTF8, "application/json"));
        start.EnsureSuccessStatusCode();
        var runId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
        var actionType = custom ? "loyalty.grant_points" : "refund.create";
        return Encoding.UTF8.GetBytes(
            $$$"""{"runId":"{{{runId}}}","actionType":"{{{actionType}}}","resourceType":"charge","resourceId":"ch_3OabcEXAMPLE","payload":{"charge":"ch_3OabcEXAMPLE","amount":7999,"reason":"requested_by_customer"},"evidence":{"confidence":0.92,"customerTier":"premium"}}""");
    }

    private static async Task<long> DriveClientsAsync(HttpClient http, byte[][] bodies, TimeSpan duration, Latencies latencies)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long total = 0;
        await Task.WhenAll(bodies.Select(async body =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var began = Stopwatch.GetTimestamp();
                await SendAsync(http, body);
                latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                Interlocked.Increment(ref total);
            }
        }));
        return total;
    }

    private static async Task<long> DriveAtRateAsync(HttpClient http, byte[][] bodies, int rate, TimeSpan duration, Latencies latencies, Latencies lateness)
    {
        var start = Stopwatch.GetTimestamp();
        var count = (long)(rate * duration.TotalSeconds);
        var inFlight = new List<Task>((int)count);
        for (long i = 0; i < count; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait); // timer granularity is ~1 ms: requests due meanwhile leave together, late, and count it
            }

            var body = bodies[i % bodies.Length];
            inFlight.Add(Task.Run(async () =>
            {
                lateness.Add(Stopwatch.GetElapsedTime(due).TotalMilliseconds);
                await SendAsync(http, body);
                latencies.Add(Stopwatch.GetElapsedTime(due).TotalMilliseconds);
            }));
        }

        await Task.WhenAll(inFlight);
        return count;
    }

    private static async Task SendAsync(HttpClient http, byte[] body)
    {
        using var response = await http.PostAsync("/api/actions/request", new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
