using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Changes;

namespace Portcullis.Server.Features.Approvals;

/// <summary>Writes the approval a <c>require_approval</c> decision asks for, inside the decision's transaction.</summary>
public static class ApprovalRequests
{
    /// <summary>
    /// The approval row (with the arguments digest, whether edits are allowed, and the group routing of the deciding
    /// policies), the run moved to <c>awaiting_approval</c>, and the <c>approval.requested</c> timeline entry.
    /// </summary>
    public static async Task WriteAsync(DbConnection c, DbTransaction t, Timeline timeline, IChangeFeed changes, DecidedAction a, string approvalId,
        string? digest)
    {
        changes.PublishOnCommit(t, ChangeTopics.PendingApprovals, a.WorkspaceId);
        var input = a.Input;
        var routing = a.ApprovalRouting;
        var escalateAt = routing is { EscalateTo: not null, EscalateAfterSeconds: { } after } ? a.CreatedAt + (after * 1000L) : (long?)null;
        await c.ExecuteAsync(
            """
            INSERT INTO approvals (id, workspace_id, action_request_id, run_id, agent_id, status, approvals_required, created_at, expires_at, arguments_digest,
                allow_edit, approver_group, escalate_to, escalate_at)
            VALUES (@approvalId, @WorkspaceId, @Id, @RunId, @AgentId, 'pending', @required, @CreatedAt, @ApprovalExpiresAt, @digest,
                @allowEdit, @group, @escalateTo, @escalateAt)
            """,
            new
            {
                approvalId, a.WorkspaceId, a.Id, input.RunId, a.AgentId, required = a.ApprovalsRequired, a.CreatedAt, a.ApprovalExpiresAt, digest,
                allowEdit = a.ApprovalAllowsEdit, group = routing?.Group, escalateTo = routing?.EscalateTo, escalateAt,
            }, t);
        await c.ExecuteAsync("UPDATE runs SET status = 'awaiting_approval' WHERE id = @RunId AND status = 'running'", new { input.RunId }, t);
        await timeline.AppendSystemAsync(c, t, a.WorkspaceId, input.RunId, "approval.requested", new
        {
            approvalRequestId = approvalId, actionRequestId = a.Id, approvalsRequired = a.ApprovalsRequired,
            expiresAt = Times.ToIso(a.ApprovalExpiresAt), argumentsDigest = digest, approverGroup = routing?.Group,
        });
        await Slack.SlackOutbox.RequestedAsync(c, t, a, approvalId);
    }
}
