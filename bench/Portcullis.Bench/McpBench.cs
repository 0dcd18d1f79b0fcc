using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portcullis.Bench;

/// <summary>
/// The same governed action (a refund the default policy allows, executed by the demo connector) requested over REST
/// (<c>POST /api/actions/request</c>) and over MCP (<c>tools/call refund.create</c> on <c>/mcp</c>, protocol 2026-07-28:
/// one stateless POST per call, the run and evidence in <c>_meta</c>), on one server, in alternating rounds, closed loop
/// with N clients. Prints each round and the MCP/REST ratios of the medians.
/// </summary>
public static class McpBench
{
    private const string Payload = """{"charge":"ch_3OabcEXAMPLE","amount":7999,"reason":"requested_by_customer"}""";
    private const string Evidence = """{"confidence":0.92,"customerTier":"premium"}""";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var clients = args.Int("clients", 8);
        var seconds = args.Int("seconds", 10);
        var rounds = args.Int("rounds", 3);
        var warmup = TimeSpan.FromSeconds(args.Int("warmup", 3)); // per path: JIT tiers, connection pools, caches
        var protocol = args.String("protocol") ?? "2026-07-28"; // or 2025-11-25: initialize once per client, then calls in its session
        await using var store = await BenchStore.OpenAsync(args);
        await using var server = await ServerProcess.StartAsync(store.ServerEnvironment);
        Console.WriteLine($"mcp: {clients} clients, refund.create (allow, demo Stripe), REST and MCP {protocol} alternating, {rounds} rounds of {seconds} s each, {store.Describe()}, server {server.Url}");
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2 }) { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.AgentKey);
        var runs = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => StartRunAsync(http)));
        var rest = runs.Select(r => Request("/api/actions/request", RestBody(r), mcp: false)).ToArray();
        var sessions = protocol == "2026-07-28" ? new string?[clients] : await Task.WhenAll(runs.Select(_ => InitializeAsync(http, protocol)));
        var mcp = runs.Select((r, i) => Request("/mcp", McpBody(r, i, sessions[i] is null), mcp: true, protocol, sessions[i])).ToArray();

        await DriveAsync(http, rest, warmup, new Latencies());
        await DriveAsync(http, mcp, warmup, new Latencies());
        var (restRounds, mcpRounds) = (new List<Round>(), new List<Round>());
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate which goes first, so a drift in the machine's load falls on both sides.
            foreach (var (name, requests, into) in round % 2 == 1 ? [("rest", rest, restRounds), ("mcp", mcp, mcpRounds)] : new[] { ("mcp", mcp, mcpRounds), ("rest", rest, restRounds) })
            {
                var measured = await MeasureAsync(http, requests, TimeSpan.FromSeconds(seconds), server);
                into.Add(measured);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round} {name,-4}: {measured.PerSecond,7:F0} requests/s   p50 {measured.P50,6:F2} ms   p99 {measured.P99,6:F2} ms   server CPU/request {measured.CpuMicros,5:F0} µs"));
            }
        }

        var (r, m) = (Median(restRounds), Median(mcpRounds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median   rest: {r.PerSecond:F0}/s p50 {r.P50:F2} ms p99 {r.P99:F2} ms {r.CpuMicros:F0} µs   mcp: {m.PerSecond:F0}/s p50 {m.P50:F2} ms p99 {m.P99:F2} ms {m.CpuMicros:F0} µs"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MCP/REST latency ratio: p50 {m.P50 / r.P50:F2}   p99 {m.P99 / r.P99:F2}   throughput {m.PerSecond / r.PerSecond:F2}   CPU/request {m.CpuMicros / r.CpuMicros:F2}"));
        return 0;
    }

    private sealed record Round(double PerSecond, double P50, double P99, double CpuMicros);

    private static Round Median(List<Round> rounds)
    {
        static double Mid(IEnumerable<double> v) => v.Order().ElementAt(v.Count() / 2);
        return new Round(Mid(rounds.Select(x => x.PerSecond)), Mid(rounds.Select(x => x.P50)), Mid(rounds.Select(x => x.P99)), Mid(rounds.Select(x => x.CpuMicros)));
    }

    private static async Task<Round> MeasureAsync(HttpClient http, Func<HttpRequestMessage>[] requests, TimeSpan duration, ServerProcess server)
    {
        var latencies = new Latencies();
        var cpu = server.CpuTime;
        var clock = Stopwatch.StartNew();
        var count = await DriveAsync(http, requests, duration, latencies);
        return new Round(count / clock.Elapsed.TotalSeconds, latencies.Percentile(50), latencies.Percentile(99), (server.CpuTime - cpu).TotalMicroseconds / count);
    }

    private static async Task<long> DriveAsync(HttpClient http, Func<HttpRequestMessage>[] requests, TimeSpan duration, Latencies latencies)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long total = 0;
        await Task.WhenAll(requests.Select(async request =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var began = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request());
                var body = await response.Content.ReadAsStringAsync(); // an MCP answer is an SSE stream: read to its end
                if (!response.IsSuccessStatusCode || body.Contains("\"isError\":true", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
                }

                latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                Interlocked.Increment(ref total);
            }
        }));
        return total;
    }

    private static Func<HttpRequestMessage> Request(string path, byte[] body, bool mcp, string protocol = "", string? session = null) => () =>
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (mcp)
        {
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Add("MCP-Protocol-Version", protocol);
            if (session is not null)
            {
                request.Headers.Add("Mcp-Session-Id", session);
            }

            request.Headers.Add("Mcp-Method", "tools/call");
            request.Headers.Add("Mcp-Name", "refund.create");
        }

        return request;
    };

    private static byte[] RestBody(string runId) => Encoding.UTF8.GetBytes(
        $$"""{"runId":"{{runId}}","actionType":"refund.create","resourceType":"charge","resourceId":"ch_3OabcEXAMPLE","payload":{{Payload}},"evidence":{{Evidence}}}""");

    // A 2026-07-28 request carries the protocol version, client info and capabilities itself; a session's does not.
    private static byte[] McpBody(string runId, int client, bool perRequest)
    {
        var envelope = perRequest
            ? "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"bench\",\"version\":\"1\"},\"io.modelcontextprotocol/clientCapabilities\":{},"
            : "";
        var meta = "{" + envelope + $"\"portcullis/runId\":\"{runId}\",\"portcullis/resourceType\":\"charge\",\"portcullis/resourceId\":\"ch_3OabcEXAMPLE\",\"portcullis/evidence\":{Evidence}" + "}";
        return Encoding.UTF8.GetBytes(
            $$"""{"jsonrpc":"2.0","id":{{client}},"method":"tools/call","params":{"name":"refund.create","arguments":{{Payload}},"_meta":{{meta}}""" + "}}");
    }

    private static async Task<string> InitializeAsync(HttpClient http, string protocol)
    {
        var initialize = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(
                $$"""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"{{protocol}}","capabilities":{},"clientInfo":{"name":"bench","version":"1"}""" + "}}",
                Encoding.UTF8, "application/json"),
        };
        initialize.Headers.Accept.ParseAdd("application/json");
        initialize.Headers.Accept.ParseAdd("text/event-stream");
        using var answer = await http.SendAsync(initialize);
        answer.EnsureSuccessStatusCode();
        var session = answer.Headers.GetValues("Mcp-Session-Id").Single();
        var initialized = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", Encoding.UTF8, "application/json"),
        };
        initialized.Headers.Accept.ParseAdd("application/json");
        initialized.Headers.Accept.ParseAdd("text/event-stream");
        initialized.Headers.Add("Mcp-Session-Id", session);
        initialized.Headers.Add("MCP-Protocol-Version", protocol);
        (await http.SendAsync(initialized)).EnsureSuccessStatusCode();
        return session;
    }

    private static async Task<string> StartRunAsync(HttpClient http)
    {
        var start = await http.PostAsync("/api/ingest/run-start", new StringContent("""{"triggerType":"bench"}""", Encoding.UTF8, "application/json"));
        start.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
    }
}
