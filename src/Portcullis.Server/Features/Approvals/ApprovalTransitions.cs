using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Approvals.Callbacks;
using Portcullis.Server.Features.Approvals.Slack;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Infrastructure.Changes;
using Portcullis.Server.Infrastructure.Telemetry;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// What follows an approval leaving <c>pending</c>, inside the transaction that moved it: the action request's
/// status, the run resuming, the timeline entry, the audit entry and (when the agent gave one) the callback.
/// </summary>
public sealed class ApprovalTransitions(
    Database database, Timeline timeline, AuditTrail audit, CallbackOutbox outbox, EventOutbox events, WorkflowWake workflows,
    IChangeFeed changes)
{
    public const string ActionRejected = "rejected";
    public const string ActionExpired = "expired";

    /// <summary>Expires a locked approval if it is pending past its expiry; true when this call expired it.</summary>
    public async Task<bool> ExpireIfDueAsync(DbConnection c, DbTransaction t, DecisionTarget target, long now)
    {
        // INVARIANT: only a pending, past-due approval expires, and only once: the status guard decides, so an
        // approval that an approver won a moment earlier stays approved.
        var expired = await c.ExecuteAsync(
            "UPDATE approvals SET status = 'expired', decided_at = @now, decided_channel = 'expiry' WHERE id = @Id AND status = 'pending' AND expires_at <= @now",
            new { now, target.Id }, t);
        if (expired == 0)
        {
            return false;
        }

        await FinishAsync(c, t, target, ApprovalStatus.Expired, null, null, now, callbackNow: true);
        return true;
    }

    /// <summary>
    /// Records the outcome. <paramref name="callbackNow"/> is false for an approved built-in action: its callback
    /// goes out once the execution is recorded, so the agent hears the result, not just the decision.
    /// </summary>
    public async Task FinishAsync(DbConnection c, DbTransaction t, DecisionTarget target, string status, string? decidedBy, string? comment,
        long now, bool callbackNow)
    {
        await ResumeRunAsync(c, t, target.RunId);
        // Long-polls of this approval and the workspace's live queue, on every instance, re-read once this commits.
        changes.PublishOnCommit(t, ChangeTopics.Approval, target.Id);
        changes.PublishOnCommit(t, ChangeTopics.PendingApprovals, target.WorkspaceId);
        PortcullisTelemetry.RecordApprovalWait(target.RunId, target.Id, status, now - target.CreatedAt);
        var actionStatus = status switch
        {
            ApprovalStatus.Approved => target.Dispatches ? ActionStatus.Executing : ActionStatus.Allowed,
            ApprovalStatus.Rejected => ActionRejected,
            _ => ActionExpired,
        };
        await c.ExecuteAsync("UPDATE action_requests SET status = @actionStatus WHERE id = @ActionRequestId",
            new { actionStatus, target.ActionRequestId }, t);
        await timeline.AppendSystemAsync(c, t, target.WorkspaceId, target.RunId, "approval.decided", new
        {
            approvalRequestId = target.Id, actionRequestId = target.ActionRequestId, status, comment, decidedBy,
        });
        await audit.AppendAsync(c, t, target.WorkspaceId, decidedBy is null ? Actor.System : Actor.User(decidedBy), $"approval.{status}",
            "approval", target.Id, new { actionRequestId = target.ActionRequestId, runId = target.RunId, target.ActionType, comment });
        await events.ApprovalAsync(c, t, target.WorkspaceId, target.Id, EventTypes.ApprovalDecided);
        if (callbackNow)
        {
            await outbox.EnqueueAsync(c, t, target.Id, target.WorkspaceId, status, now);
        }

        await SlackOutbox.DecidedAsync(c, t, target.WorkspaceId, target.Id, now);

        // A workflow step held for this approval goes on now, unless the approved call is still to run: its execution wakes it.
        if (actionStatus != ActionStatus.Executing)
        {
            await workflows.OnActionSettledAsync(c, t, target.WorkflowRunId);
        }
    }

    /// <summary>The run goes back to <c>running</c> once none of its approvals is pending; an ended run stays ended.</summary>
    private async Task ResumeRunAsync(DbConnection c, DbTransaction t, string runId)
    {
        // Two approvals of one run decided at once on PostgreSQL would each still see the other pending (neither
        // has committed) and leave the run waiting forever. The run lock orders them; the second statement after
        // it sees the first's commit.
        await database.Dialect.LockRowAsync(c, t, "runs", runId);

        await c.ExecuteAsync(
            """
            UPDATE runs SET status = 'running'
            WHERE id = @runId AND status = 'awaiting_approval'
              AND NOT EXISTS (SELECT 1 FROM approvals WHERE run_id = @runId AND status = 'pending')
            """, new { runId }, t);
    }
}
