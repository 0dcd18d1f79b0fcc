namespace Portcullis.Policies.Tests.Support;

/// <summary>Builders for policy definitions and compiled sets.</summary>
internal static class Policies
{
    public static PolicyDefinition Def(
        string id,
        string condition,
        PolicyDecision decision = PolicyDecision.Block,
        int priority = 0,
        string? reason = null,
        bool enabled = true,
        string[]? agents = null,
        int approvals = 1) =>
        new(id, "policy " + id, condition, decision, reason, priority, enabled, agents, approvals);

    public static PolicySet Set(params PolicyDefinition[] policies)
    {
        var result = PolicySet.Compile(policies);
        Assert.True(result.Success, string.Join("\n", result.DiagnosticsByPolicyId.Select(kv => $"{kv.Key}: {string.Join("; ", kv.Value)}")));
        return result.Set;
    }
}
