namespace Portcullis.Client;

/// <summary>An approval request and, once approved and executed, its execution.</summary>
public sealed record Approval
{
    /// <summary>The approval's id (<c>apr_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary><c>pending</c>, <c>approved</c>, <c>rejected</c> or <c>expired</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The action request waiting on it (<c>act_…</c>).</summary>
    public string? ActionRequestId { get; init; }

    /// <summary>The run the action belongs to.</summary>
    public string? RunId { get; init; }

    /// <summary>The action waiting on it.</summary>
    public string? ActionType { get; init; }

    /// <summary>The connector that runs the action once approved.</summary>
    public string? Provider { get; init; }

    /// <summary>How many distinct approvers must approve.</summary>
    public int ApprovalsRequired { get; init; }

    /// <summary>How many have approved so far.</summary>
    public int ApprovalsReceived { get; init; }

    /// <summary>When the approval was requested.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the approval expires if nobody decides.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When it was decided.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The deciding approver's comment.</summary>
    public string? Comment { get; init; }

    /// <summary>The deciding approver (<c>usr_…</c>).</summary>
    public string? DecidedBy { get; init; }

    /// <summary>The policy revision that asked for the approval; null for requests recorded before revisions were.</summary>
    public long? PolicyRevision { get; init; }

    /// <summary>
    /// SHA-256 (lowercase hex) of the RFC 8785 canonical JSON of the action's type, provider, resource and payload as the
    /// approver saw them; the server sends nothing else.
    /// </summary>
    public string? ArgumentsDigest { get; init; }

    /// <summary>True when an approver edited the payload before approving.</summary>
    public bool Edited { get; init; }

    /// <summary>The edited payload (what was sent), when <see cref="Edited"/>.</summary>
    public System.Text.Json.JsonElement? EditedPayload { get; init; }

    /// <summary>The digest of the edited arguments, when <see cref="Edited"/>.</summary>
    public string? EditedArgumentsDigest { get; init; }

    /// <summary>The execution, once the approved action ran.</summary>
    public Execution? Execution { get; init; }

    /// <summary>True while nobody has decided and it has not expired.</summary>
    public bool IsPending => Status == "pending";
}
