using Portcullis.Policies;

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
}

/// <summary>Everything the decision transaction writes.</summary>
public sealed record DecidedAction(
    string Id,
    string WorkspaceId,
    string AgentId,
    ActionRequestInput Input,
    PolicyEvaluation Evaluation,
    long CreatedAt,
    long ApprovalExpiresAt)
{
    public string Decision => PolicyDecisions.ToWire(Evaluation.Decision);

    public bool Dispatches => Input.BuiltIn && Evaluation.Decision is PolicyDecision.Allow or PolicyDecision.AllowWithAlert;

    /// <summary>The most demanding approval count among the matching approval policies.</summary>
    public int ApprovalsRequired => Evaluation.Matched
        .Where(m => m.Decision == PolicyDecision.RequireApproval)
        .Select(m => m.ApprovalsRequired)
        .DefaultIfEmpty(1)
        .Max();

    public ActionAnswer Answer(string? approvalRequestId = null, ExecutionDto? execution = null) => new(
        Decision, Evaluation.Reason, Id, Evaluation.Matched.Select(MatchedPolicyDto.From).ToList(), execution, approvalRequestId);
}
