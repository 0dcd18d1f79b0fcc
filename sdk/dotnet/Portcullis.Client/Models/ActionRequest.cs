namespace Portcullis.Client;

/// <summary>Arguments of <see cref="PortcullisClient.RequestActionAsync"/>.</summary>
public sealed record ActionRequest
{
    /// <summary>The run this action belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>The action, e.g. <c>refund.create</c>.</summary>
    public required string ActionType { get; init; }

    /// <summary>The connector, e.g. <c>stripe</c>; may be omitted for built-in action types, whose provider is inferred.</summary>
    public string? Provider { get; init; }

    /// <summary>The kind of external resource acted on, e.g. <c>charge</c>.</summary>
    public string? ResourceType { get; init; }

    /// <summary>A stable id of the external resource, for the audit trail.</summary>
    public string? ResourceId { get; init; }

    /// <summary>
    /// The action's arguments; policies see them as <c>payload.*</c>. Any object that serializes to
    /// a JSON object: a dictionary, a <c>JsonObject</c>, or an anonymous object (its property names
    /// are sent camelCase).
    /// </summary>
    public required object Payload { get; init; }

    /// <summary>Risk signals such as model confidence; policies see them as <c>evidence.*</c>.</summary>
    public object? Evidence { get; init; }

    /// <summary>
    /// Makes the request safe to repeat: the server answers a repeat with the first answer, byte for byte,
    /// and never executes twice; the same key with another body is a 409 <c>conflict</c>. While the first
    /// request is still executing, a repeat waits up to 30 seconds for its answer, then gets a 409
    /// <c>conflict</c> (try again later with the same key). The client generates one when you give none.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Where the server sends a signed webhook once an approval is decided.</summary>
    public Uri? CallbackUrl { get; init; }
}
