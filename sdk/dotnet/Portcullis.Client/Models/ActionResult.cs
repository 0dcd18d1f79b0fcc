namespace Portcullis.Client;

/// <summary>
/// The policy engine's answer to an action request. One of <see cref="Allowed"/>,
/// <see cref="ApprovalRequired"/> or <see cref="Blocked"/>, so a <c>switch</c> covers every case.
/// </summary>
public abstract record ActionResult
{
    private protected ActionResult()
    {
    }

    /// <summary>The decision as sent: <c>allow</c>, <c>allow_with_alert</c>, <c>require_approval</c> or <c>block</c>.</summary>
    public required string Decision { get; init; }

    /// <summary>Why: the deciding policy's reason, or the workspace default's.</summary>
    public required string Reason { get; init; }

    /// <summary>The recorded action request (<c>act_…</c>).</summary>
    public required string ActionRequestId { get; init; }

    /// <summary>Every policy that matched.</summary>
    public IReadOnlyList<MatchedPolicy> MatchedPolicies { get; init; } = [];

    /// <summary>The workspace's policy revision whose policies made the decision; null on answers stored before revisions were.</summary>
    public long? PolicyRevision { get; init; }
}

/// <summary>
/// The action was allowed (<c>allow</c> or <c>allow_with_alert</c>) and, for built-in action types,
/// executed by its connector.
/// </summary>
public sealed record Allowed : ActionResult
{
    /// <summary>
    /// The execution; null for custom action types, which Portcullis governs but never dispatches.
    /// Check <see cref="Execution.Status"/>: a connector can fail.
    /// </summary>
    public Execution? Execution { get; init; }

    /// <summary>True for <c>allow_with_alert</c>: allowed, and an alert was recorded.</summary>
    public bool WithAlert => Decision == "allow_with_alert";
}

/// <summary>The action waits for a human (<c>require_approval</c>); it runs only once approved.</summary>
public sealed record ApprovalRequired : ActionResult
{
    /// <summary>The approval request (<c>apr_…</c>) to wait for or correlate with a webhook.</summary>
    public required string ApprovalRequestId { get; init; }
}

/// <summary>A policy blocked the action (<c>block</c>); <see cref="ActionResult.Reason"/> says why.</summary>
public sealed record Blocked : ActionResult;
