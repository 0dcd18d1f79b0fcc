using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portcullis.Bench;

/// <summary>
/// N concurrent agents each call requestAction (a refund the default policy allows, executed by the demo
/// connector) for a fixed time; reports requests/s and latency percentiles.
/// </summary>
public static class ActionsBench
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var clients = args.Int("clients", 16);
        var seconds = args.Int("seconds", 20);
        var custom = args.String("action") == "custom"; // a custom action type: decided and recorded, never dispatched
        await using var server = await ServerProcess.StartAsync();
        Console.WriteLine($"actions: {clients} clients, requestAction (allow, demo Stripe refund), {seconds} s, server {server.Url}");
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2 }) { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.AgentKey);

        await DriveAsync(http, clients, TimeSpan.FromSeconds(3), new Latencies(), custom);
        var latencies = new Latencies();
        var cpuBefore = server.CpuTime;
        var clock = Stopwatch.StartNew();
        var requests = await DriveAsync(http, clients, TimeSpan.FromSeconds(seconds), latencies, custom);
        var rate = requests / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server:   {rate,8:F0} requests/s   p50 {latencies.Percentile(50),6:F2} ms   p99 {latencies.Percentile(99),6:F2} ms   ({requests} requests)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server CPU per request: {(server.CpuTime - cpuBefore).TotalMicroseconds / requests:F0} µs"));
        return 0;
    }

    private static async Task<long> DriveAsync(HttpClient http, int clients, TimeSpan duration, Latencies latencies, bool custom)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long total = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var start = await http.PostAsync("/api/ingest/run-start", new StringContent("""{"triggerType":"bench"}""", Encoding.UTF8, "application/json"));
            start.EnsureSuccessStatusCode();
            var runId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
            var actionType = custom ? "loyalty.grant_points" : "refund.create";
            var body = Encoding.UTF8.GetBytes(
                $$$"""{"runId":"{{{runId}}}","actionType":"{{{actionType}}}","resourceType":"charge","resourceId":"ch_3OabcEXAMPLE","payload":{"charge":"ch_3OabcEXAMPLE","amount":7999,"reason":"requested_by_customer"},"evidence":{"confidence":0.92,"customerTier":"premium"}}""");
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var began = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/api/actions/request", new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                Interlocked.Increment(ref total);
            }
        }));
        return total;
    }
}
