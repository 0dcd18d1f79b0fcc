using System.Data.Common;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Telemetry;

namespace Portcullis.Server.Infrastructure.Jobs;

/// <summary>
/// The one worker behind every durable side effect: renews the leases this instance holds, finds due jobs (queued ones,
/// and ones whose holder died: their lease ran out), claims each with a guarded update and runs it with its kind's
/// handler. After a crash and restart, the dead process's jobs are back in work one lease after its last renewal.
/// </summary>
public sealed partial class JobWorker(
    JobStore store, JobLeases leases, IServiceProvider services, IOptions<JobOptions> options, TimeProvider time,
    ILogger<JobWorker> logger) : BackgroundService
{
    // Resolved on first use: a handler may itself start held jobs through this worker (a schedule starting a workflow run).
    private readonly Lazy<Dictionary<string, IJobHandler>> _handlers = new(() =>
        services.GetServices<IJobHandler>().ToDictionary(h => h.Kind, StringComparer.Ordinal));
    private readonly HashSet<Task> _running = [];
    private long _lastRenewal;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.PollIntervalMs), time);
        do
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
            {
                // A store hiccup must not stop the host: leases not renewed now are renewed on the next pass.
                LogPassFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: renew, then claim and start what is due. Public for tests that drive the worker by hand.</summary>
    public async Task PassAsync(CancellationToken ct)
    {
        var now = time.Now();
        if (leases.Count > 0 && now - _lastRenewal >= options.Value.RenewEvery.TotalMilliseconds)
        {
            await store.RenewAsync(ct);
            _lastRenewal = now;
        }

        var found = await store.FindDueAsync(ct);
        PortcullisTelemetry.SetJobsDue(found.GroupBy(j => j.Kind).ToDictionary(g => g.Key, g => (long)g.Count()));
        foreach (var due in found)
        {
            if (!_handlers.Value.TryGetValue(due.Kind, out var handler) || await store.TryClaimAsync(due, ct) is not { } job)
            {
                continue;
            }

            // A running job found due is one whose holder's lease ran out: it is taken over.
            if (due.Status == JobStatus.Running)
            {
                PortcullisTelemetry.JobsReclaimed.Add(1, new KeyValuePair<string, object?>("kind", due.Kind));
            }

            Start(handler, job, ct);
        }

        lock (_running)
        {
            _running.RemoveWhere(t => t.IsCompleted);
        }
    }

    /// <summary>
    /// Runs a job this instance already holds (written with <see cref="JobStore.InsertClaimedAsync"/>) in the background, its
    /// lease renewed like a claimed one's: the caller answers at once and the work goes on without a worker hop.
    /// </summary>
    public void RunHeld(ClaimedJob job)
    {
        if (_handlers.Value.TryGetValue(job.Kind, out var handler))
        {
            Start(handler, job, CancellationToken.None);
        }
    }

    private void Start(IJobHandler handler, ClaimedJob job, CancellationToken ct)
    {
        var task = Task.Run(async () =>
        {
            using var held = leases.Hold(job.Id);
            try
            {
                await handler.RunAsync(job, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The job keeps its state: the lease runs out and the next claim sees it was started.
                LogJobFailed(logger, ex, job.Kind, job.Id);
            }
        }, CancellationToken.None);
        lock (_running)
        {
            _running.Add(task);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        // Let calls in flight finish and record their results while the host drains (bounded by its shutdown time-out).
        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job pass failed; the next pass retries")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Kind} {JobId} failed; its lease will run out and recovery will take it")]
    private static partial void LogJobFailed(ILogger logger, Exception ex, string kind, string jobId);
}
