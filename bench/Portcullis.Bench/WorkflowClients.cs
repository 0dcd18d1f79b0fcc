using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portcullis.Bench;

/// <summary>
/// Clients that each start a run of the workflow and long-poll it until it is no longer running, then start the next. A run
/// that ends in any other status than <c>completed</c> (or an error answer) is a failure.
/// </summary>
public sealed class WorkflowClients(HttpClient http, string workflowId)
{
    private const string Completed = "completed";
    private readonly byte[] _body = Encoding.UTF8.GetBytes(DemoWorkflow.RunBody);
    private long _failures;
    private long _started;

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Runs started, warm-up included.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>The first failures, to show what went wrong.</summary>
    public ConcurrentQueue<string> Examples { get; } = new();

    /// <summary>Runs until <paramref name="duration"/> is up; answers how many runs completed.</summary>
    public async Task<long> DriveAsync(int clients, TimeSpan duration, Latencies latencies, ConcurrentQueue<string>? runIds)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long completed = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var began = Stopwatch.GetTimestamp();
                var (id, status) = await RunOnceAsync();
                var elapsed = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                if (id is not null)
                {
                    runIds?.Enqueue(id);
                }

                if (status == Completed)
                {
                    latencies.Add(elapsed);
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    Interlocked.Increment(ref _failures);
                    Example($"run {id ?? "(not started)"}: {status}");
                }
            }
        }));
        return completed;
    }

    private async Task<(string? Id, string Status)> RunOnceAsync()
    {
        using var started = await http.PostAsync($"/api/workflows/{workflowId}/runs",
            new ByteArrayContent(_body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        if (!started.IsSuccessStatusCode)
        {
            return (null, $"start answered {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
        }

        Interlocked.Increment(ref _started);
        using var answer = JsonDocument.Parse(await started.Content.ReadAsStreamAsync());
        var id = answer.RootElement.GetProperty("workflowRunId").GetString()!;
        while (true)
        {
            using var polled = await http.GetAsync($"/api/workflow-runs/{id}?waitSeconds=30");
            if (!polled.IsSuccessStatusCode)
            {
                return (id, $"wait answered {(int)polled.StatusCode} {await polled.Content.ReadAsStringAsync()}");
            }

            using var run = JsonDocument.Parse(await polled.Content.ReadAsStreamAsync());
            var status = run.RootElement.GetProperty("status").GetString()!;
            if (status != "running")
            {
                return (id, status == Completed ? status : $"{status} {run.RootElement.GetProperty("error")}");
            }
        }
    }

    /// <summary>
    /// Reads every run back: it must be completed, with each of its five steps completed and an action request behind it.
    /// Answers how many did not.
    /// </summary>
    public async Task<int> CheckAsync(IReadOnlyCollection<string> runIds)
    {
        var queue = new ConcurrentQueue<string>(runIds);
        var bad = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (queue.TryDequeue(out var id))
            {
                using var response = await http.GetAsync($"/api/workflow-runs/{id}");
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || Problem(JsonDocument.Parse(text).RootElement) is { } problem)
                {
                    Interlocked.Increment(ref bad);
                    Example($"check {id}: {(response.IsSuccessStatusCode ? "" : (int)response.StatusCode + " ")}{text}");
                }
            }
        }));
        return bad;
    }

    private static string? Problem(JsonElement run)
    {
        var steps = run.GetProperty("steps").EnumerateArray().ToList();
        var done = steps.Count(s => s.GetProperty("status").GetString() == Completed
            && s.GetProperty("actionRequestId").GetString() is { } action && action.StartsWith("act_", StringComparison.Ordinal));
        return run.GetProperty("status").GetString() == Completed && steps.Count == DemoWorkflow.StepCount && done == steps.Count
            ? null
            : $"status {run.GetProperty("status")}, {done}/{steps.Count} steps completed with an action request";
    }

    private void Example(string what)
    {
        if (Examples.Count < 3)
        {
            Examples.Enqueue(what);
        }
    }
}
