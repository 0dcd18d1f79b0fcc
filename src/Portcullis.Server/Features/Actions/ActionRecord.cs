using Portcullis.Policies;
using Portcullis.Server.Features.Policies.Shadow;

namespace Portcullis.Server.Features.Actions;

/// <summary>Status of an action request after its decision.</summary>
public static class ActionStatus
{
    public const string Executing = "executing";
    public const string Executed = "executed";
    public const string Failed = "failed";
    public const string Allowed = "allowed"; // custom action type: allowed, never dispatched
    public const string PendingApproval = "pending_approval";
    public const string Blocked = "blocked";

    /// <summary>A call that was in flight when its server died and is not safe to send twice: an operator reconciles it.</summary>
    public const string Unknown = "unknown";
}

/// <summary>Stable <c>code</c>s of the action pipeline's own errors.</summary>
public static class ActionErrorCodes
{
    /// <summary>On an execution: the call may or may not have reached the provider.</summary>
    public const string OutcomeUnknown = "outcome_unknown";

    /// <summary>A reconcile of an action whose outcome is not unknown.</summary>
    public const string NotReconcilable = "not_reconcilable";

    /// <summary>A retry whose idempotency key was first used with another body.</summary>
    public const string IdempotencyKeyReused = "conflict";
}

/// <summary>Everything the decision transaction writes.</summary>
/// <param name="PolicyRevision">The workspace's policy revision whose set made the decision (recorded with it).</param>
public sealed record DecidedAction(
    string Id,
    string WorkspaceId,
    string AgentId,
    ActionRequestInput Input,
    PolicyEvaluation Evaluation,
    long CreatedAt,
    long ApprovalExpiresAt,
    long PolicyRevision,
    IReadOnlyList<ShadowOutcome>? Shadow = null,
    string? SubscribedEventTypes = null)
{
    public string Decision => PolicyDecisions.ToWire(Evaluation.Decision);

    public bool Dispatches => (Input.BuiltIn || Input.Gateway) && Evaluation.Decision is PolicyDecision.Allow or PolicyDecision.AllowWithAlert;

    /// <summary>The most demanding approval count among the matching approval policies.</summary>
    public int ApprovalsRequired => Evaluation.Matched
        .Where(m => m.Decision == PolicyDecision.RequireApproval)
        .Select(m => m.ApprovalsRequired)
        .DefaultIfEmpty(1)
        .Max();

    /// <summary>
    /// The approver may edit the payload only when every matching approval policy allows it: one that does not wins,
    /// as the most restrictive policy always does.
    /// </summary>
    public bool ApprovalAllowsEdit => Evaluation.Matched.Where(m => m.Decision == PolicyDecision.RequireApproval).ToList() is { Count: > 0 } approvals
        && approvals.All(m => m.AllowEdit);

    /// <summary>
    /// Who decides the approval: the routing of the highest-priority matching approval policy that names one (ties: the
    /// lower id); null means any approver, with no escalation.
    /// </summary>
    public ApprovalRouting? ApprovalRouting => Evaluation.Matched
        .Where(m => m.Decision == PolicyDecision.RequireApproval && m.Routing is not null)
        .OrderByDescending(m => m.Priority).ThenBy(m => m.Id, StringComparer.Ordinal)
        .Select(m => m.Routing)
        .FirstOrDefault();

    public ActionAnswer Answer(string? approvalRequestId = null, ExecutionDto? execution = null) => new(
        Decision, Evaluation.Reason, Id, Evaluation.Matched.Select(MatchedPolicyDto.From).ToList(), execution, approvalRequestId, PolicyRevision);
}
