using Portcullis.Policies;

namespace Portcullis.Server.Features.Policies.Shadow;

/// <summary>What one matching shadow policy would have made of a request, next to what the enforced policies made of it.</summary>
/// <param name="Decision">The shadow policy's own decision.</param>
/// <param name="WouldBe">The request's decision had this policy been enforced.</param>
public sealed record ShadowOutcome(string PolicyId, string PolicyName, string Decision, string WouldBe, bool Changed)
{
    /// <summary>
    /// Evaluates the shadow policies beside the enforced decision. A shadow policy joins the enforced matches as if it were
    /// one of them: the most restrictive match wins, and with no enforced match it replaces the workspace default.
    /// </summary>
    public static IReadOnlyList<ShadowOutcome> Of(PolicySet shadow, ActionContext context, PolicyEvaluation enforced,
        PolicyDecision defaultDecision, IReadOnlyDictionary<VelocityQuery, decimal>? velocity)
    {
        if (shadow.Count == 0)
        {
            return [];
        }

        var evaluation = shadow.Evaluate(context, defaultDecision, velocity);
        return evaluation.Matched.Select(m =>
        {
            var wouldBe = enforced.Matched.Count == 0 || m.Decision > enforced.Decision ? m.Decision : enforced.Decision;
            return new ShadowOutcome(m.Id, m.Name, PolicyDecisions.ToWire(m.Decision), PolicyDecisions.ToWire(wouldBe), wouldBe != enforced.Decision);
        }).ToList();
    }
}
