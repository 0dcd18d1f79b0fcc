using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portcullis.Bench;

/// <summary>
/// N concurrent agents each send batches of events for a fixed time; reports events/s and batch
/// latency percentiles, then inserts the same rows straight into the store (SQLite, or the server's PostgreSQL database
/// with binary COPY) for the ratio.
/// </summary>
public static class IngestBench
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var clients = args.Int("clients", 8);
        var seconds = args.Int("seconds", 20);
        var batch = args.Int("batch", 100);
        await using var store = await BenchStore.OpenAsync(args);
        ServerProcess? server = args.String("url") is null ? await ServerProcess.StartAsync(store.ServerEnvironment) : null;
        var url = args.String("url") ?? server!.Url;
        var key = args.String("key") ?? ServerProcess.AgentKey;
        try
        {
            Console.WriteLine($"ingest: {clients} clients, batches of {batch} events (~{EventFactory.EventJsonBytes} bytes each), {seconds} s, {store.Describe()}, server {url}");
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2 }) { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            await DriveAsync(http, clients, batch, TimeSpan.FromSeconds(3), new Latencies()); // warm-up
            var latencies = new Latencies();
            var cpuBefore = server?.CpuTime ?? TimeSpan.Zero;
            var databaseBefore = store.DatabaseCpuTime;
            var clock = Stopwatch.StartNew();
            var events = await DriveAsync(http, clients, batch, TimeSpan.FromSeconds(seconds), latencies);
            var serverRate = events / clock.Elapsed.TotalSeconds;
            var cpuPerEvent = server is null ? double.NaN : (server.CpuTime - cpuBefore).TotalMicroseconds / events;
            var databasePerEvent = (store.DatabaseCpuTime - databaseBefore)?.TotalMicroseconds / events;

            var rawSeconds = TimeSpan.FromSeconds(Math.Min(seconds, 10));
            var rawRate = store.Postgres is { } database
                ? await RawPostgresCopy.RowsPerSecondAsync(database.ConnectionString, batch, rawSeconds)
                : RawSqliteInsert.RowsPerSecond(batch, rawSeconds);
            var rawMeans = store.Postgres is null
                ? $"SQLite, one transaction per {batch} rows, prepared insert"
                : $"PostgreSQL, the server's database, one binary COPY and transaction per {batch} rows, one connection";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server:   {serverRate,10:F0} events/s   batch latency p50 {latencies.Percentile(50),6:F2} ms   p99 {latencies.Percentile(99),6:F2} ms   ({latencies.Count} batches)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw:      {rawRate,10:F0} rows/s ({rawMeans})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio:    {serverRate / rawRate:F2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"server CPU per event: {cpuPerEvent:F2} µs"));
            if (databasePerEvent is { } perEvent)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"database CPU per event: {perEvent:F2} µs"));
            }
            return 0;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<long> DriveAsync(HttpClient http, int clients, int batch, TimeSpan duration, Latencies latencies)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long total = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var start = await http.PostAsync("/api/ingest/run-start", Json("""{"triggerType":"bench"}"""));
            start.EnsureSuccessStatusCode();
            var runId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
            long seq = 2;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var body = EventFactory.Batch(runId, seq, batch);
                var began = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/api/ingest/events", new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                Interlocked.Add(ref total, batch);
                seq += batch;
            }
        }));
        return total;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
