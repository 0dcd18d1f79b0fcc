using System.Text.Json;
using Dapper;
using System.Text.Json.Serialization;
using Portcullis.Server.Features.Actions.Dispatch;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// Answers a retry carrying an idempotency key that was seen before, at once and without waiting: the stored answer byte
/// for byte, a conflict if the body differs, or — while the first request's call is still in flight — its decision with
/// <c>execution: {status: "executing", provider, action_type}</c>.
/// </summary>
public static class IdempotentReplay
{
    /// <summary>
    /// The execution of an action whose call is in flight (or queued for recovery). No row exists yet, so the fields a row
    /// would fill are null; the shape is the execution row's, so clients parse it as one.
    /// </summary>
    public sealed record InFlightExecution(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("provider")] string? Provider,
        [property: JsonPropertyName("action_type")] string ActionType)
    {
        [JsonPropertyName("id")]
        public string? Id => null;

        [JsonPropertyName("attempts")]
        public int Attempts => 0;

        [JsonPropertyName("simulated")]
        public bool Simulated => false;

        [JsonPropertyName("started_at")]
        public string? StartedAt => null;

        [JsonPropertyName("completed_at")]
        public string? CompletedAt => null;

        [JsonPropertyName("error")]
        public object? Error => null;

        [JsonPropertyName("response_payload")]
        public object? ResponsePayload => null;
    }

    public static async Task<RequestActionResult?> FindAsync(Database database, string agentId, ActionRequestInput input, CancellationToken ct)
    {
        var stored = await database.ReadAsync(c => PreparedSql.QueryFirstAsync(c, null,
            """
            SELECT request_hash AS RequestHash, response AS Response, status AS Status, id AS Id, decision AS Decision, reason AS Reason,
                   matched_policies AS MatchedPolicies, provider AS Provider, action_type AS ActionType
            FROM action_requests WHERE agent_id = @agentId AND idempotency_key = @key
            """,
            r => r.GetRowParser<Stored>()(r), ("agentId", agentId), ("key", input.IdempotencyKey)), ct);
        if (stored is null)
        {
            return null;
        }

        if (!stored.RequestHash.AsSpan().SequenceEqual(input.Hash()))
        {
            return new RequestActionResult.KeyConflict(input.IdempotencyKey!);
        }

        var answer = stored.Response ?? DecisionAnswers.Rebuild(stored.Id, stored.Decision, stored.Reason, stored.MatchedPolicies);
        return new RequestActionResult.Replayed(stored.Status == ActionStatus.Executing
            ? ExecutionRecords.WithExecution(answer, new InFlightExecution(ActionStatus.Executing, stored.Provider, stored.ActionType))
            : answer);
    }

    private sealed class Stored
    {
        public byte[] RequestHash { get; init; } = [];
        public string? Response { get; init; }
        public string Status { get; init; } = "";
        public string Id { get; init; } = "";
        public string Decision { get; init; } = "";
        public string Reason { get; init; } = "";
        public string MatchedPolicies { get; init; } = "[]";
        public string? Provider { get; init; }
        public string ActionType { get; init; } = "";
    }
}

/// <summary>The decision answer of a row written before answers were stored with every decision (version 0005 and earlier).</summary>
public static class DecisionAnswers
{
    public static string Rebuild(string id, string decision, string reason, string matchedPoliciesJson) =>
        new ActionAnswer(decision, reason, id, JsonSerializer.Deserialize<List<MatchedPolicyDto>>(matchedPoliciesJson, ActionAnswer.Json) ?? [])
            .Serialize();
}
