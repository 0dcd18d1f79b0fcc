namespace Portcullis.Client;

/// <summary>
/// The answer of <see cref="PortcullisClient.CheckActionAsync"/>: the decision <see cref="PortcullisClient.RequestActionAsync"/>
/// would get now. Nothing was recorded or executed, and nothing is reserved: a later request is decided afresh.
/// </summary>
/// <param name="Decision"><c>allow</c>, <c>allow_with_alert</c>, <c>require_approval</c> or <c>block</c>.</param>
/// <param name="Reason">Why: the deciding policy's reason, the workspace default's, or the freeze's.</param>
/// <param name="MatchedPolicies">The policies that matched.</param>
public sealed record CheckResult(string Decision, string Reason, IReadOnlyList<MatchedPolicy> MatchedPolicies)
{
    /// <summary>True when a request now would be allowed (with or without an alert).</summary>
    public bool IsAllowed => Decision is "allow" or "allow_with_alert";
}
