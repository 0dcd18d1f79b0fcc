using System.Text.Json;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Runs;

/// <summary>One entry of a run's timeline on the wire.</summary>
public sealed record TimelineEntryDto(
    long Id, long? SequenceNo, string Source, string EventType, JsonElement? Payload, string OccurredAt, string RecordedAt);

public sealed class TimelineEntryRow
{
    public long Id { get; init; }
    public long? SequenceNo { get; init; }
    public string Source { get; init; } = "";
    public string EventType { get; init; } = "";
    public string? Payload { get; init; }
    public long OccurredAt { get; init; }
    public long RecordedAt { get; init; }

    public const string Columns =
        "id AS Id, sequence_no AS SequenceNo, source AS Source, event_type AS EventType, payload AS Payload, occurred_at AS OccurredAt, recorded_at AS RecordedAt";

    // The timeline's order: agent sequence numbers, each followed by the system entries written after it.
    public const string OrderBy = "ORDER BY sort_seq, CASE WHEN sequence_no IS NULL THEN 1 ELSE 0 END, id";

    public TimelineEntryDto ToDto()
    {
        JsonElement? payload = null;
        if (Payload is not null)
        {
            using var doc = JsonDocument.Parse(Payload);
            payload = doc.RootElement.Clone();
        }

        return new TimelineEntryDto(Id, SequenceNo, Source, EventType, payload, Times.ToIso(OccurredAt), Times.ToIso(RecordedAt));
    }
}
