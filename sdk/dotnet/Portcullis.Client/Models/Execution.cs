using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portcullis.Client;

/// <summary>The persisted execution of a dispatched action; on the wire its fields are snake_case.</summary>
public sealed record Execution
{
    /// <summary>The execution's id (<c>exe_…</c>); null while <see cref="Status"/> is <c>executing</c>.</summary>
    [JsonPropertyName("id")]
    public required string? Id { get; init; }

    /// <summary>
    /// <c>executed</c> or <c>failed</c>; on an idempotent replay while the call is in flight, <c>executing</c> (ask again later);
    /// <c>unknown</c> when the server died mid-call and the call was not safe to send twice (an admin reconciles it).
    /// </summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>The connector that ran the action.</summary>
    [JsonPropertyName("provider")]
    public string? Provider { get; init; }

    /// <summary>The action that ran.</summary>
    [JsonPropertyName("action_type")]
    public string? ActionType { get; init; }

    /// <summary>How many calls the connector made to the provider.</summary>
    [JsonPropertyName("attempts")]
    public int Attempts { get; init; }

    /// <summary>True when a demo-mode connector simulated the provider.</summary>
    [JsonPropertyName("simulated")]
    public bool Simulated { get; init; }

    /// <summary>When the connector started.</summary>
    [JsonPropertyName("started_at")]
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the connector finished.</summary>
    [JsonPropertyName("completed_at")]
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Why the connector failed; null when it executed.</summary>
    [JsonPropertyName("error")]
    public ExecutionError? Error { get; init; }

    /// <summary>The connector's answer: the provider's response, or its error body.</summary>
    [JsonPropertyName("response_payload")]
    public JsonElement ResponsePayload { get; init; }

    /// <summary>True when an approver edited the payload before approving; <see cref="Payload"/> is then what ran.</summary>
    [JsonPropertyName("edited")]
    public bool Edited { get; init; }

    /// <summary>The payload that ran, present only when <see cref="Edited"/>.</summary>
    [JsonPropertyName("payload")]
    public JsonElement? Payload { get; init; }

    /// <summary>True when the connector executed the action.</summary>
    [JsonIgnore]
    public bool Succeeded => Status == "executed";
}
