namespace Portcullis.Client.Http;

/// <summary>Maps the action answer to the <see cref="ActionResult"/> record of its decision.</summary>
internal static class ActionAnswers
{
    public static ActionResult ToResult(Wire.ActionAnswer answer)
    {
        var decision = answer.Decision ?? "";
        var reason = answer.Reason ?? "";
        var actionRequestId = answer.ActionRequestId ?? "";
        var policies = answer.MatchedPolicies ?? [];
        return decision switch
        {
            "allow" or "allow_with_alert" => new Allowed
            {
                Decision = decision,
                Reason = reason,
                ActionRequestId = actionRequestId,
                MatchedPolicies = policies,
                PolicyRevision = answer.PolicyRevision,
                Execution = answer.Execution,
            },
            "require_approval" => new ApprovalRequired
            {
                Decision = decision,
                Reason = reason,
                ActionRequestId = actionRequestId,
                MatchedPolicies = policies,
                PolicyRevision = answer.PolicyRevision,
                ApprovalRequestId = answer.ApprovalRequestId ?? throw Invalid("a require_approval answer without `approvalRequestId`"),
            },
            "block" => new Blocked
            {
                Decision = decision,
                Reason = reason,
                ActionRequestId = actionRequestId,
                MatchedPolicies = policies,
                PolicyRevision = answer.PolicyRevision,
            },
            // SECURITY: an unknown decision is never taken for a permission; the caller must see it fail.
            _ => throw Invalid($"unknown decision `{decision}`"),
        };
    }

    public static CheckResult ToCheck(Wire.ActionAnswer answer) => answer.Decision is "allow" or "allow_with_alert" or "require_approval" or "block"
        ? new CheckResult(answer.Decision, answer.Reason ?? "", answer.MatchedPolicies ?? [])
        // SECURITY: as for a request, an unknown decision is never taken for a permission.
        : throw Invalid($"unknown decision `{answer.Decision}`");

    private static PortcullisException Invalid(string message) => new(200, message, "invalid_response");
}
