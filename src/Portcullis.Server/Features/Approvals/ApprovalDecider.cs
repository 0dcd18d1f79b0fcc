using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Actions.Dispatch;
using Portcullis.Server.Features.Approvals.Edits;
using Portcullis.Server.Features.Approvals.Groups;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Server.Infrastructure.Telemetry;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// Approves or rejects an approval. The decision is one transaction over the locked approval row; for a built-in action,
/// the transaction that moves it to <c>approved</c> also writes the dispatch job, claimed by the winning caller, who then
/// sends the action and records the execution (recovery does, should this process die first). Everyone else learns the
/// approval was already decided.
/// </summary>
public sealed class ApprovalDecider(
    Database database, ApprovalTransitions transitions, ActionExecutor executor, JobStore jobs, Timeline timeline, AuditTrail audit, EditRecorder edits,
    ApprovalEscalation escalation, TimeProvider time)
{
    public enum Outcome { NotFound, AlreadyDecided, Expired, SelfApprovalForbidden, AlreadyApproved, Counted, Approved, Rejected, Frozen, NotInGroup }

    /// <param name="FreezeReason">With <see cref="Outcome.Frozen"/>: why the agent (or its workspace) is frozen.</param>
    /// <param name="Group">With <see cref="Outcome.NotInGroup"/>: the approver group that decides this approval.</param>
    public readonly record struct Result(Outcome Outcome, string Status = "", long ApprovalsRequired = 0, string? FreezeReason = null, string? Group = null);

    /// <summary>Who decides, with what comment, when (epoch ms) and through which <see cref="DecisionChannel"/>.</summary>
    private readonly record struct DecidedBy(string UserId, string? Comment, long Now, string Channel);

    private readonly record struct Decided(Result Result, DispatchTarget? Winner = null, ClaimedJob? Job = null, DecisionTarget? Target = null);

    /// <param name="edit">An approver's checked edit of the payload (see <see cref="EditChecker"/>); only with an approval.</param>
    /// <param name="channel">Where the decision came from (see <see cref="DecisionChannel"/>), recorded with it.</param>
    public async Task<Result> DecideAsync(Member member, string approvalId, bool approve, string? comment, CancellationToken ct, ApprovalEdit? edit = null,
        string channel = DecisionChannel.Api)
    {
        var decided = await database.WriteAsync((c, t) => DecideAsync(c, t, member, approvalId, approve, comment, edit, channel), ct);
        if (decided is { Winner: { } winner, Job: { } job, Target: { } target })
        {
            // The decision and its job are committed: the execution follows even if this caller hangs up. Its span links
            // back to the trace that opened the run: the approver's request is another trace.
            using var span = RunTrace.StartLinked("approval_resume " + winner.ActionType, winner.RunId, target.RunTraceParent);
            span?.SetTag("portcullis.approval.id", target.Id);
            await executor.RunHeldAsync(job, winner);
        }

        return decided.Result;
    }

    private async Task<Decided> DecideAsync(DbConnection c, DbTransaction t, Member member, string approvalId, bool approve, string? comment,
        ApprovalEdit? edit, string channel)
    {
        var now = time.Now();
        var target = await DecisionTarget.LockAsync(c, t, database, approvalId, member.WorkspaceId);
        if (target is null)
        {
            return new(new(Outcome.NotFound));
        }

        // Due to escalate (before the sweep gets to it): the new group decides, so read the approval again.
        if (await escalation.EscalateIfDueAsync(c, t, target, now))
        {
            target = (await DecisionTarget.LockAsync(c, t, database, approvalId, member.WorkspaceId))!;
        }

        // A past-due approval expires first (lazily, before the sweep gets to it) and is then refused like any other.
        if ((target.Status == ApprovalStatus.Pending && target.ExpiresAt <= now && await transitions.ExpireIfDueAsync(c, t, target, now))
            || target.Status == ApprovalStatus.Expired)
        {
            return new(new(Outcome.Expired, ApprovalStatus.Expired));
        }

        if (target.Status != ApprovalStatus.Pending)
        {
            return new(new(Outcome.AlreadyDecided, target.Status));
        }

        // SECURITY: an approval routed to a group is decided by its members only, either way.
        if (target.ApproverGroup is { } group && !await ApproverGroupStore.IsMemberAsync(c, t, target.WorkspaceId, group, member.UserId))
        {
            return new(new(Outcome.NotInGroup, target.Status, target.ApprovalsRequired, Group: group));
        }

        // SECURITY: whoever answers for an agent must not wave its actions through alone. Rejecting stays allowed.
        if (approve && target.ForbidSelfApproval && target.AgentOwnerUserId == member.UserId)
        {
            return new(new(Outcome.SelfApprovalForbidden, target.Status));
        }

        // The kill switch, read in this transaction: a frozen agent's held action must not go out. The approval stays pending
        // (to be approved after an unfreeze, rejected, or left to expire); rejecting stays allowed.
        if (approve && await FreezeReader.ReasonAsync(c, t, target.AgentId) is { } frozen)
        {
            return new(new(Outcome.Frozen, target.Status, FreezeReason: frozen));
        }

        var by = new DecidedBy(member.UserId, comment, now, channel);
        return approve ? await ApproveAsync(c, t, target, by, edit) : await RejectAsync(c, t, target, by);
    }

    private async Task<Decided> ApproveAsync(DbConnection c, DbTransaction t, DecisionTarget target, DecidedBy by, ApprovalEdit? edit)
    {
        // An edit that changes nothing (the digest of what would be sent anyway) is a plain approval.
        var (editedPayload, editedDigest) = (target.EditedPayload, target.EditedDigest);
        if (edit is not null && edit.Digest != (target.EditedDigest ?? target.ArgumentsDigest))
        {
            await edits.RecordAsync(c, t, target, by.UserId, edit);
            (editedPayload, editedDigest) = (edit.PayloadJson, edit.Digest);
        }

        // The primary key (approval, user) makes a second approval by the same person count once.
        var counted = await c.ExecuteAsync(
            """
            INSERT INTO approval_decisions (approval_id, user_id, decision, comment, decided_at, channel)
            VALUES (@Id, @UserId, 'approve', @Comment, @Now, @Channel)
            ON CONFLICT (approval_id, user_id) DO NOTHING
            """, new { target.Id, by.UserId, by.Comment, by.Now, by.Channel }, t);
        if (counted == 0)
        {
            return new(new(Outcome.AlreadyApproved, target.Status, target.ApprovalsRequired));
        }

        var received = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM approval_decisions WHERE approval_id = @Id AND decision = 'approve'", new { target.Id }, t);
        if (received < target.ApprovalsRequired)
        {
            await timeline.AppendSystemAsync(c, t, target.WorkspaceId, target.RunId, "approval.approved_by", new
            {
                approvalRequestId = target.Id, userId = by.UserId, comment = by.Comment, channel = by.Channel, approvalsReceived = received,
                approvalsRequired = target.ApprovalsRequired,
            });
            await audit.AppendAsync(c, t, target.WorkspaceId, Actor.User(by.UserId), "approval.approved_by", "approval", target.Id,
                new { actionRequestId = target.ActionRequestId, comment = by.Comment, channel = by.Channel, approvalsReceived = received,
                    approvalsRequired = target.ApprovalsRequired });
            // The Slack message shows the approvals so far.
            await Slack.SlackOutbox.DecidedAsync(c, t, target.WorkspaceId, target.Id, by.Now);
            return new(new(Outcome.Counted, target.Status, target.ApprovalsRequired));
        }

        // INVARIANT: exactly one caller moves an approval from pending to approved — rows affected decides the winner,
        // and only the winner dispatches. The row lock (PostgreSQL) or the single writer (SQLite) queues every other
        // decider behind this transaction; they then find it approved and answer 409 already_decided.
        var won = await c.ExecuteAsync(
            """
            UPDATE approvals SET status = 'approved', decided_at = @Now, decided_by = @UserId, comment = @Comment, decided_channel = @Channel
            WHERE id = @Id AND status = 'pending'
            """,
            new { by.Now, by.UserId, by.Comment, by.Channel, target.Id }, t);
        if (won == 0)
        {
            return new(new(Outcome.AlreadyDecided, ApprovalStatus.Approved));
        }

        await transitions.FinishAsync(c, t, target, ApprovalStatus.Approved, by.UserId, by.Comment, by.Now, callbackNow: !target.Dispatches);
        if (!target.Dispatches)
        {
            return new(new(Outcome.Approved, ApprovalStatus.Approved));
        }

        var job = await jobs.InsertClaimedAsync(c, t, target.WorkspaceId, ActionExecutor.JobKind, target.ActionRequestId);
        return new(new(Outcome.Approved, ApprovalStatus.Approved), DispatchTargetOf(target, editedPayload, editedDigest), job, target);
    }

    private async Task<Decided> RejectAsync(DbConnection c, DbTransaction t, DecisionTarget target, DecidedBy by)
    {
        // One rejection rejects, also from someone who approved before: their latest word is the one kept.
        await c.ExecuteAsync(
            """
            INSERT INTO approval_decisions (approval_id, user_id, decision, comment, decided_at, channel)
            VALUES (@Id, @UserId, 'reject', @Comment, @Now, @Channel)
            ON CONFLICT (approval_id, user_id) DO UPDATE SET decision = 'reject', comment = @Comment, decided_at = @Now, channel = @Channel
            """, new { target.Id, by.UserId, by.Comment, by.Now, by.Channel }, t);
        var rejected = await c.ExecuteAsync(
            """
            UPDATE approvals SET status = 'rejected', decided_at = @Now, decided_by = @UserId, comment = @Comment, decided_channel = @Channel
            WHERE id = @Id AND status = 'pending'
            """,
            new { by.Now, by.UserId, by.Comment, by.Channel, target.Id }, t);
        if (rejected == 0)
        {
            return new(new(Outcome.AlreadyDecided, target.Status));
        }

        await transitions.FinishAsync(c, t, target, ApprovalStatus.Rejected, by.UserId, by.Comment, by.Now, callbackNow: true);
        return new(new(Outcome.Rejected, ApprovalStatus.Rejected));
    }

    /// <summary>The call to send: the edited payload (and its digest) when an approver edited it, else the agent's.</summary>
    private static DispatchTarget DispatchTargetOf(DecisionTarget target, string? editedPayload, string? editedDigest) => new()
    {
        ActionRequestId = target.ActionRequestId, WorkspaceId = target.WorkspaceId, RunId = target.RunId, AgentId = target.AgentId,
        AgentName = target.AgentName,
        ActionType = target.ActionType, Provider = target.Provider!, Payload = editedPayload ?? target.Payload, Response = target.Response,
        ConnectorMode = target.ConnectorMode, CredentialId = target.CredentialId, WorkflowRunId = target.WorkflowRunId,
        ResourceType = target.ResourceType, ResourceId = target.ResourceId, ApprovedDigest = editedDigest ?? target.ArgumentsDigest,
        EditedPayload = editedPayload,
    };
}
