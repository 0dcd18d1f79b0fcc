using System.Text.Json;
using System.Text.Json.Serialization;
using Portcullis.Policies;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// The answer to <c>requestAction</c>, as the spec shapes it, plus <c>policyRevision</c>: the policy-set revision that
/// decided it (absent from answers stored before revisions were recorded).
/// </summary>
public sealed record ActionAnswer(
    string Decision,
    string Reason,
    string ActionRequestId,
    IReadOnlyList<MatchedPolicyDto> MatchedPolicies,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExecutionDto? Execution = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApprovalRequestId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? PolicyRevision = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Serialize() => JsonSerializer.Serialize(this, Json);
}

public sealed record MatchedPolicyDto(string Id, string Name, string Decision, string? Reason, int Priority)
{
    public static MatchedPolicyDto From(MatchedPolicy m) => new(m.Id, m.Name, PolicyDecisions.ToWire(m.Decision), m.Reason, m.Priority);
}

/// <summary>
/// The persisted execution row; keeps the spec's snake_case names. <c>edited</c> and <c>payload</c> appear only when an
/// approver edited the payload before approving: <c>payload</c> is then what was sent.
/// </summary>
public sealed record ExecutionDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("action_type")] string ActionType,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("simulated")] bool Simulated,
    [property: JsonPropertyName("started_at")] string StartedAt,
    [property: JsonPropertyName("completed_at")] string CompletedAt,
    [property: JsonPropertyName("error")] ExecutionErrorDto? Error,
    [property: JsonPropertyName("response_payload")] JsonElement? ResponsePayload,
    [property: JsonPropertyName("edited"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Edited = null,
    [property: JsonPropertyName("payload"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Payload = null)
{
    /// <summary>This execution marked as the run of an edited payload (<paramref name="payloadJson"/>); unchanged when null.</summary>
    public ExecutionDto WithEdit(string? payloadJson)
    {
        if (payloadJson is null)
        {
            return this;
        }

        using var payload = JsonDocument.Parse(payloadJson);
        return this with { Edited = true, Payload = payload.RootElement.Clone() };
    }
}

public sealed record ExecutionErrorDto(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("provider_status")] int? ProviderStatus,
    [property: JsonPropertyName("provider_request_id")] string? ProviderRequestId);

/// <summary>A row of <c>executions</c>.</summary>
public sealed class ExecutionRow
{
    public string Id { get; init; } = "";
    public string Provider { get; init; } = "";
    public string ActionType { get; init; } = "";
    public string Status { get; init; } = "";
    public long Attempts { get; init; }
    public bool Simulated { get; init; }
    public long StartedAt { get; init; }
    public long CompletedAt { get; init; }
    public string? Error { get; init; }
    public string? ResponsePayload { get; init; }

    public const string Columns =
        "id AS Id, provider AS Provider, action_type AS ActionType, status AS Status, attempts AS Attempts, simulated AS Simulated, " +
        "started_at AS StartedAt, completed_at AS CompletedAt, error AS Error, response_payload AS ResponsePayload";

    public ExecutionDto ToDto() => new(Id, Status, Provider, ActionType, (int)Attempts, Simulated, Times.ToIso(StartedAt), Times.ToIso(CompletedAt),
        Error is null ? null : JsonSerializer.Deserialize<ExecutionErrorDto>(Error),
        ResponsePayload is null ? null : JsonDocument.Parse(ResponsePayload).RootElement.Clone());
}
