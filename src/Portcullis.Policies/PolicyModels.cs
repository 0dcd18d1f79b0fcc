namespace Portcullis.Policies;

/// <summary>A policy as stored by the server: a condition and the decision it asks for when it matches.</summary>
/// <param name="Id">Unique within a set; the final tie-break between equal policies (lower ordinal wins).</param>
/// <param name="Name">Human name, used in reasons and tool output.</param>
/// <param name="Condition">Condition text in the policy language.</param>
/// <param name="Decision">Decision when the condition matches.</param>
/// <param name="Reason">Reason reported when this policy wins; null gives "matched policy `NAME`".</param>
/// <param name="Priority">Among matching policies with the same decision, the higher priority wins.</param>
/// <param name="Enabled">Disabled policies are compiled (so errors show) but never evaluated.</param>
/// <param name="AgentIds">Agents the policy applies to; null or empty means every agent.</param>
/// <param name="ApprovalsRequired">Distinct approvers needed when the decision is require_approval (at least 1).</param>
/// <param name="AllowEdit">With require_approval: the approver may change the payload before approving (evaluated again).</param>
/// <param name="Routing">With require_approval: which approver group decides, and where an unanswered request escalates.</param>
public sealed record PolicyDefinition(
    string Id,
    string Name,
    string Condition,
    PolicyDecision Decision,
    string? Reason = null,
    int Priority = 0,
    bool Enabled = true,
    IReadOnlyList<string>? AgentIds = null,
    int ApprovalsRequired = 1,
    bool AllowEdit = false,
    ApprovalRouting? Routing = null);

/// <summary>Who decides a held request: an approver group (null: any approver), and the group it escalates to.</summary>
/// <param name="Group">The approver group whose members decide; null means any member with the approver role.</param>
/// <param name="EscalateAfterSeconds">Seconds after the request when an unanswered approval escalates; null: only at expiry.</param>
/// <param name="EscalateTo">The group an unanswered approval escalates to; null: no escalation.</param>
public sealed record ApprovalRouting(string? Group, int? EscalateAfterSeconds, string? EscalateTo);

/// <summary>A policy whose condition matched (or that failed closed) in an evaluation.</summary>
public sealed record MatchedPolicy(string Id, string Name, PolicyDecision Decision, string? Reason, int Priority, int ApprovalsRequired,
    bool AllowEdit = false, ApprovalRouting? Routing = null);

/// <summary>A policy whose evaluation failed; see <see cref="DiagnosticCodes.RegexTimeout"/> and <see cref="DiagnosticCodes.VelocityUnavailable"/>.</summary>
public sealed record PolicyError(string PolicyId, string PolicyName, string Code, string Message);

/// <summary>The outcome of evaluating a <see cref="PolicySet"/> against one action request.</summary>
/// <param name="Decision">The winning decision, or the workspace default when nothing matched.</param>
/// <param name="Reason">The winner's reason, "matched policy `NAME`", or "no policy matched; workspace default applies".</param>
/// <param name="Winner">The winning policy; null when nothing matched.</param>
/// <param name="Matched">Every matching policy, winner first, then in decreasing precedence.</param>
/// <param name="Errors">Policies whose evaluation failed (each either ignored or counted as matching, see the docs).</param>
public sealed record PolicyEvaluation(
    PolicyDecision Decision,
    string Reason,
    MatchedPolicy? Winner,
    IReadOnlyList<MatchedPolicy> Matched,
    IReadOnlyList<PolicyError> Errors);
