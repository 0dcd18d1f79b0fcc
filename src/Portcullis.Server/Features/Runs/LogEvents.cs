using System.Text.Json;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Server.Infrastructure.Telemetry;

namespace Portcullis.Server.Features.Runs;

/// <summary><c>POST /api/ingest/events</c>: appends a batch of agent events to a run's timeline.</summary>
public static class LogEvents
{
    // The body's shape for the OpenAPI document; Handle reads the body field by field.
    public sealed record EventInput(
        string EventType, long SequenceNo, IReadOnlyDictionary<string, JsonElement>? Payload = null, DateTimeOffset? OccurredAt = null);

    public sealed record Request(string RunId, IReadOnlyList<EventInput> Events, string? AgentKey = null);

    public sealed record Response(int Accepted, int Duplicates);

    public static async Task<IResult> Handle(HttpContext http, EventWriter writer, IOptions<LimitsOptions> limits)
    {
        var errors = new FieldErrors();
        var fields = new JsonFields(http.GetAgentBody(), errors);
        var runId = fields.String("runId", required: true, maxLength: 64);
        var events = Parse(fields.Array("events", required: true), errors, limits.Value);
        if (errors.Any)
        {
            return Problems.Validation(errors);
        }

        var agent = http.GetAgent();
        var result = await writer.WriteAsync(agent.WorkspaceId, agent.AgentId, runId!, events, http.RequestAborted);
        if (result.Accepted > 0)
        {
            PortcullisTelemetry.EventsIngested.Add(result.Accepted);
        }

        return result.Outcome switch
        {
            EventWriter.Outcome.Recorded => TypedResults.Ok(new Response(result.Accepted, result.Duplicates)),
            EventWriter.Outcome.RunNotFound => Problems.NotFound($"run `{runId}`"),
            EventWriter.Outcome.RunEnded => Problems.Conflict($"run `{runId}` has ended with status `{result.RunStatus}` and takes no more events", ErrorCodes.RunEnded),
            _ => Problems.Conflict($"sequenceNo {result.ConflictingSequenceNo} is already recorded in run `{runId}` with different content; nothing in this batch was recorded"),
        };
    }

    private static List<IncomingEvent> Parse(JsonElement? array, FieldErrors errors, LimitsOptions limits)
    {
        var events = new List<IncomingEvent>();
        if (array is not { } items)
        {
            return events;
        }

        var count = items.GetArrayLength();
        if (count == 0 || count > limits.MaxEventsPerBatch)
        {
            errors.Add("events", $"must hold between 1 and {limits.MaxEventsPerBatch} events");
            return events;
        }

        var index = 0;
        long previous = 1;
        foreach (var item in items.EnumerateArray())
        {
            var path = EventPath(index++);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, "must be an object");
                continue;
            }

            var f = new JsonFields(item, errors, path);
            var eventType = f.String("eventType", required: true, maxLength: limits.MaxStringLength);
            var sequenceNo = f.Integer("sequenceNo", required: true, min: 2);
            var payload = f.ObjectWithText("payload", maxBytes: limits.MaxPayloadBytes);
            var occurredAt = f.Timestamp("occurredAt");
            if (sequenceNo is { } s)
            {
                if (s <= previous && index > 1)
                {
                    errors.Add(f.Path("sequenceNo"), $"must be greater than the previous event's ({previous}); a batch is strictly increasing");
                }

                previous = Math.Max(previous, s);
            }

            if (eventType is not null && sequenceNo is not null)
            {
                events.Add(new IncomingEvent(eventType, sequenceNo.Value, payload?.Text, occurredAt));
            }
        }

        return events;
    }

    private static readonly string[] Paths = Enumerable.Range(0, 1000).Select(i => $"events[{i}]").ToArray();

    // Field paths are only read when an error is reported; the common ones are interned up front.
    private static string EventPath(int index) => index < Paths.Length ? Paths[index] : $"events[{index}]";
}
