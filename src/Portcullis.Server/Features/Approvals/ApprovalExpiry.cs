using System.Data.Common;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// Expires pending approvals past their <c>expires_at</c>: lazily, when a read or a decision meets one, and in the
/// background through <see cref="ApprovalSweeper"/>. Each approval expires in a transaction of its own, so a sweep
/// never holds one approval's lock while waiting for another's.
/// </summary>
public sealed class ApprovalExpiry(
    Database database, ApprovalTransitions transitions, Groups.ApprovalEscalation escalation, ApprovalQueries queries, TimeProvider time)
{
    /// <summary>
    /// Expires the approval if it is (still) pending and past due; true when this call expired it. One with a group to
    /// escalate to escalates instead (at its deadline or its <c>escalateAfter</c>), and stays pending.
    /// </summary>
    public Task<bool> ExpireIfDueAsync(string approvalId, CancellationToken ct) => database.WriteAsync(async (c, t) =>
    {
        var target = await DecisionTarget.LockAsync(c, t, database, approvalId, workspaceId: null);
        var now = time.Now();
        return target is not null && !await escalation.EscalateIfDueAsync(c, t, target, now) && await transitions.ExpireIfDueAsync(c, t, target, now);
    }, ct);

    /// <summary>Expires past-due approvals of one workspace (or of every workspace); returns how many this call expired.</summary>
    public async Task<int> SweepAsync(string? workspaceId, CancellationToken ct)
    {
        var expired = 0;
        foreach (var id in await queries.DueAsync(workspaceId, time.Now(), limit: 100, ct))
        {
            expired += await ExpireIfDueAsync(id, ct) ? 1 : 0;
        }

        return expired;
    }
}

/// <summary>Expires past-due approvals every few seconds, so runs resume and callbacks go out without anyone reading.</summary>
public sealed partial class ApprovalSweeper(ApprovalExpiry expiry, IOptions<ApprovalOptions> options, TimeProvider time, ILogger<ApprovalSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await expiry.SweepAsync(null, stoppingToken) is var n and > 0)
                {
                    LogExpired(logger, n);
                }
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // A store hiccup must not stop the host; the next tick sweeps again.
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Count} approval(s) past their deadline")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Approval expiry sweep failed; the next tick retries")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
