using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Runs;

namespace Portcullis.Server.Features.Approvals.Edits;

/// <summary>Records an approver's edit inside the decision's transaction, beside the original payload (which stays as the agent sent it).</summary>
public sealed class EditRecorder(Timeline timeline, AuditTrail audit)
{
    public async Task RecordAsync(DbConnection c, DbTransaction t, DecisionTarget target, string userId, ApprovalEdit edit)
    {
        await c.ExecuteAsync(
            "UPDATE approvals SET edited_payload = @PayloadJson, edited_digest = @Digest, edited_policy_revision = @PolicyRevision WHERE id = @Id",
            new { edit.PayloadJson, edit.Digest, edit.PolicyRevision, target.Id }, t);
        // INVARIANT: every approval that counts is of the payload that will be sent; approvals of an earlier version lapse.
        var lapsed = await c.ExecuteAsync("DELETE FROM approval_decisions WHERE approval_id = @Id AND decision = 'approve'", new { target.Id }, t);

        using var payload = JsonDocument.Parse(edit.PayloadJson);
        await timeline.AppendSystemAsync(c, t, target.WorkspaceId, target.RunId, "approval.edited", new
        {
            approvalRequestId = target.Id, actionRequestId = target.ActionRequestId, editedBy = userId, payload = payload.RootElement,
            argumentsDigest = target.ArgumentsDigest, editedArgumentsDigest = edit.Digest, policyRevision = edit.PolicyRevision,
            lapsedApprovals = lapsed,
        });
        await audit.AppendAsync(c, t, target.WorkspaceId, Actor.User(userId), "approval.edited", "approval", target.Id, new
        {
            actionRequestId = target.ActionRequestId, argumentsDigest = target.ArgumentsDigest, editedArgumentsDigest = edit.Digest,
            policyRevision = edit.PolicyRevision,
        });
    }
}
