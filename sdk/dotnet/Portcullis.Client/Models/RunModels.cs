using System.Text.Json.Serialization;

namespace Portcullis.Client;

/// <summary>Arguments of <see cref="PortcullisClient.StartRunAsync"/>.</summary>
public sealed record StartRunRequest
{
    /// <summary>What initiated the run, e.g. <c>support-ticket</c>.</summary>
    public required string TriggerType { get; init; }

    /// <summary>Correlates the run with a record in your own system, e.g. a ticket id.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>Your agent's version, for change tracking.</summary>
    public string? AgentVersion { get; init; }

    /// <summary>Who or what triggered the run.</summary>
    public string? TriggeredBy { get; init; }
}

/// <summary>The answer of <see cref="PortcullisClient.StartRunAsync"/>.</summary>
/// <param name="RunId">The new run's id (<c>run_…</c>); pass it to every later call.</param>
/// <param name="Status">The run's state, <c>running</c>.</param>
public sealed record RunStarted(string RunId, string Status);

/// <summary>
/// One timeline event. <see cref="SequenceNo"/> is unique per run and starts at 2, because the
/// server records <c>run.started</c> as 1.
/// </summary>
/// <param name="EventType">What happened, e.g. <c>context.retrieved</c>.</param>
/// <param name="SequenceNo">The event's place in the run; re-sending the same event with it is harmless.</param>
/// <param name="Payload">Details of the event: any object that serializes to a JSON object.</param>
/// <param name="OccurredAt">When it happened; defaults to the server's time when the event lands.</param>
public sealed record RunEvent(string EventType, long SequenceNo, object? Payload = null, DateTimeOffset? OccurredAt = null);

/// <summary>The answer of <see cref="PortcullisClient.LogEventsAsync"/>.</summary>
/// <param name="Accepted">Events newly recorded.</param>
/// <param name="Duplicates">Identical re-sends of events already recorded, ignored.</param>
public sealed record LogEventsResult(int Accepted, int Duplicates);

/// <summary>The final states an agent may end a run with.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunEndStatus>))]
public enum RunEndStatus
{
    /// <summary>The task is done.</summary>
    [JsonStringEnumMemberName("completed")] Completed,

    /// <summary>The task failed.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>The task stopped because a policy blocked it.</summary>
    [JsonStringEnumMemberName("blocked")] Blocked,
}

/// <summary>A run, as answered by <see cref="PortcullisClient.EndRunAsync"/>.</summary>
public sealed record Run
{
    /// <summary>The run's id (<c>run_…</c>).</summary>
    public required string RunId { get; init; }

    /// <summary><c>running</c>, <c>awaiting_approval</c>, <c>completed</c>, <c>failed</c> or <c>blocked</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The agent the run belongs to (<c>agt_…</c>).</summary>
    public string? AgentId { get; init; }

    /// <summary>What initiated the run.</summary>
    public string? TriggerType { get; init; }

    /// <summary>The caller's correlation id, if one was given.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>The agent's version, if one was given.</summary>
    public string? AgentVersion { get; init; }

    /// <summary>Who or what triggered the run, if given.</summary>
    public string? TriggeredBy { get; init; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended, once it has.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}
