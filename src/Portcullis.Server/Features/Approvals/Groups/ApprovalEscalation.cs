using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Runs;

namespace Portcullis.Server.Features.Approvals.Groups;

/// <summary>
/// Moves an unanswered approval to its policy's <c>escalateTo</c> group, once: after <c>escalateAfter</c>, or when it would
/// expire (it then gets a fresh lifetime instead of expiring). Runs inside the transaction that locked the approval.
/// </summary>
public sealed class ApprovalEscalation(Timeline timeline, AuditTrail audit, Email.EmailOutbox emails)
{
    public const string AfterDelay = "escalate_after";
    public const string AtExpiry = "expiry";

    /// <summary>Escalates the locked approval if it is pending and due; true when this call escalated it.</summary>
    public async Task<bool> EscalateIfDueAsync(DbConnection c, DbTransaction t, DecisionTarget target, long now)
    {
        if (target.Status != ApprovalStatus.Pending || target.EscalateTo is null || target.EscalatedAt is not null)
        {
            return false;
        }

        var atExpiry = target.ExpiresAt <= now;
        if (!atExpiry && !(target.EscalateAt <= now))
        {
            return false;
        }

        // At expiry the new group gets a full lifetime (the workspace's approval expiry); before it, the deadline stands.
        var expiresAt = atExpiry ? now + (target.ApprovalExpirySeconds * 1000) : target.ExpiresAt;
        // INVARIANT: an approval escalates at most once; the guard decides, as for expiry.
        var escalated = await c.ExecuteAsync(
            """
            UPDATE approvals SET approver_group = escalate_to, escalated_at = @now, expires_at = @expiresAt
            WHERE id = @Id AND status = 'pending' AND escalated_at IS NULL AND escalate_to IS NOT NULL
            """, new { now, expiresAt, target.Id }, t);
        if (escalated == 0)
        {
            return false;
        }

        var reason = atExpiry ? AtExpiry : AfterDelay;
        await timeline.AppendSystemAsync(c, t, target.WorkspaceId, target.RunId, "approval.escalated", new
        {
            approvalRequestId = target.Id, fromGroup = target.ApproverGroup, toGroup = target.EscalateTo, reason,
            expiresAt = Infrastructure.Times.ToIso(expiresAt),
        });
        await audit.AppendAsync(c, t, target.WorkspaceId, Actor.System, "approval.escalated", "approval", target.Id,
            new { fromGroup = target.ApproverGroup, toGroup = target.EscalateTo, reason });
        await Slack.SlackOutbox.EscalatedAsync(c, t, target.WorkspaceId, target.Id, now);
        // The new group hears of it in the same transaction: a committed escalation always has its emails queued.
        await emails.QueueAsync(c, t, target.WorkspaceId, target.Id, target.EscalateTo, Email.EmailOutbox.Escalated);
        return true;
    }
}
