namespace Portcullis.Policies;

/// <summary>
/// What the policy engine decides for an action request. The numeric order is the order of
/// restrictiveness: when several policies match, the highest value wins.
/// </summary>
public enum PolicyDecision
{
    /// <summary>The action may run.</summary>
    Allow = 0,

    /// <summary>The action may run and an alert is recorded.</summary>
    AllowWithAlert = 1,

    /// <summary>The action waits for human approval.</summary>
    RequireApproval = 2,

    /// <summary>The action is refused.</summary>
    Block = 3,
}

/// <summary>Converts <see cref="PolicyDecision"/> to and from its wire form (<c>allow</c>, <c>allow_with_alert</c>, <c>require_approval</c>, <c>block</c>).</summary>
public static class PolicyDecisions
{
    /// <summary>The wire form of a decision, e.g. <c>require_approval</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined decision.</exception>
    public static string ToWire(PolicyDecision d) => d switch
    {
        PolicyDecision.Allow => "allow",
        PolicyDecision.AllowWithAlert => "allow_with_alert",
        PolicyDecision.RequireApproval => "require_approval",
        PolicyDecision.Block => "block",
        _ => throw new ArgumentOutOfRangeException(nameof(d), d, "not a policy decision"),
    };

    /// <summary>
    /// Parses a wire decision. Matching ignores ASCII case and surrounding white space so a
    /// hand-written policies file with <c>Block</c> still works; anything else returns false.
    /// </summary>
    public static bool TryParse(string? wire, out PolicyDecision d)
    {
        d = PolicyDecision.Allow;
        if (wire is null)
        {
            return false;
        }

        var text = wire.Trim();
        foreach (var candidate in All)
        {
            if (string.Equals(text, ToWire(candidate), StringComparison.OrdinalIgnoreCase))
            {
                d = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>True for the four defined decisions.</summary>
    public static bool IsDefined(PolicyDecision d) => d is >= PolicyDecision.Allow and <= PolicyDecision.Block;

    private static readonly PolicyDecision[] All =
        [PolicyDecision.Allow, PolicyDecision.AllowWithAlert, PolicyDecision.RequireApproval, PolicyDecision.Block];
}
