using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Ingest;

public abstract class EventIngestTests(ServerFixture server)
{
    private static object Event(long seq, string type = "context.retrieved", object? payload = null, string? occurredAt = null) =>
        new { eventType = type, sequenceNo = seq, payload = payload ?? new { source = "knowledge-base", documentsFound = 3 }, occurredAt };

    [Fact]
    public async Task A_batch_is_recorded_in_sequence_order_with_server_time_when_occurred_at_is_absent()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var response = await ws.Agent().PostJson("/api/ingest/events", new
        {
            runId,
            events = new[] { Event(2), Event(3, "intent.classified", new { intent = "refund-request", confidence = 0.95 }, "2026-01-02T03:04:05Z") },
        });

        await response.AssertStatus(HttpStatusCode.OK);
        var body = await response.Json();
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("duplicates").GetInt32());

        var timeline = (await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal([1L, 2L, 3L], timeline.Select(e => e.GetProperty("sequenceNo").GetInt64()));
        Assert.Equal("agent", timeline[1].GetProperty("source").GetString());
        Assert.Equal(0.95, timeline[2].GetProperty("payload").GetProperty("confidence").GetDouble());
        Assert.Equal("2026-01-02T03:04:05.000Z", timeline[2].GetProperty("occurredAt").GetString());
        var defaulted = DateTimeOffset.Parse(timeline[1].GetProperty("occurredAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - defaulted).TotalMinutes) < 5);
    }

    [Fact]
    public async Task Gaps_are_allowed_and_later_batches_interleave_by_sequence_number()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await (await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { Event(10) } })).AssertStatus(HttpStatusCode.OK);
        await (await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { Event(5), Event(20) } })).AssertStatus(HttpStatusCode.OK);

        var order = (await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("sequenceNo").GetInt64());
        Assert.Equal([1L, 5L, 10L, 20L], order);
    }

    [Fact]
    public async Task Resending_an_identical_event_is_a_no_op()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var batch = new { runId, events = new[] { Event(2), Event(3) } };
        await (await ws.Agent().PostJson("/api/ingest/events", batch)).AssertStatus(HttpStatusCode.OK);

        var retry = await ws.Agent().PostJson("/api/ingest/events", batch);
        await retry.AssertStatus(HttpStatusCode.OK);
        var body = await retry.Json();
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        Assert.Equal(2, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(3, (await ws.RunAsync(runId)).GetProperty("timeline").GetArrayLength());
    }

    [Fact]
    public async Task The_same_sequence_number_with_other_content_is_a_409_and_nothing_of_the_batch_is_written()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await (await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { Event(3) } })).AssertStatus(HttpStatusCode.OK);

        var conflicting = await ws.Agent().PostJson("/api/ingest/events", new
        {
            runId,
            events = new[] { Event(2), Event(3, "something.else"), Event(4) },
        });

        var problem = await conflicting.AssertProblem(HttpStatusCode.Conflict, "conflict");
        Assert.Contains("sequenceNo 3", problem.GetProperty("detail").GetString());
        var sequenceNumbers = (await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("sequenceNo").GetInt64());
        Assert.Equal([1L, 3L], sequenceNumbers);
    }

    [Fact]
    public async Task Sequence_numbers_below_2_are_refused_because_1_is_the_servers()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var response = await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { Event(1) } });
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("events[0].sequenceNo", out _));
    }

    [Fact]
    public async Task A_batch_must_be_strictly_increasing()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var response = await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { Event(3), Event(3), Event(2) } });
        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("events[1].sequenceNo", out _));
        Assert.True(errors.TryGetProperty("events[2].sequenceNo", out _));
        Assert.Single((await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray());
    }

    [Fact]
    public async Task Every_bad_field_of_every_event_is_named()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var response = await ws.Agent().PostJson("/api/ingest/events", new
        {
            runId,
            events = new object[]
            {
                new { sequenceNo = "two" },
                new { eventType = 5, sequenceNo = 3, payload = "text", occurredAt = "yesterday" },
                "not an event",
            },
        });

        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        foreach (var field in new[] { "events[0].eventType", "events[0].sequenceNo", "events[1].eventType", "events[1].payload", "events[1].occurredAt", "events[2]" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Events_need_a_run_id_and_a_non_empty_array()
    {
        var ws = await server.NewWorkspaceAsync();
        var missing = await ws.Agent().PostJson("/api/ingest/events", new { events = Array.Empty<object>() });
        var errors = (await missing.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("runId", out _));
        Assert.True(errors.TryGetProperty("events", out _));
    }

    [Fact]
    public async Task Writing_to_an_ended_run_is_a_409_run_ended()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await (await ws.Agent().PostJson("/api/ingest/run-end", new { runId, status = "failed" })).AssertStatus(HttpStatusCode.OK);

        var response = await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { Event(2) } });
        await response.AssertProblem(HttpStatusCode.Conflict, "run_ended");
    }

    [Fact]
    public async Task Writing_to_an_unknown_run_is_a_404()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Agent().PostJson("/api/ingest/events", new { runId = "run_nope", events = new[] { Event(2) } });
        await response.AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Concurrent_batches_to_one_run_all_land()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var agent = ws.Agent();
        var tasks = Enumerable.Range(0, 20).Select(i =>
            agent.PostJson("/api/ingest/events", new { runId, events = new[] { Event(100 + (i * 2)), Event(101 + (i * 2)) } }));
        foreach (var response in await Task.WhenAll(tasks))
        {
            await response.AssertStatus(HttpStatusCode.OK);
        }

        Assert.Equal(41, (await ws.RunAsync(runId)).GetProperty("timeline").GetArrayLength());
    }

    [Fact]
    public async Task Payload_must_be_an_object_when_present()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var response = await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { new { eventType = "x", sequenceNo = 2, payload = new[] { 1, 2 } } } });
        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal("must be an object", errors.GetProperty("events[0].payload")[0].GetString());
    }

    [Fact]
    public async Task Null_payload_is_stored_as_no_payload()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await (await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { new { eventType = "tick", sequenceNo = 2 } } })).AssertStatus(HttpStatusCode.OK);
        var entry = (await ws.RunAsync(runId)).GetProperty("timeline")[1];
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("payload").ValueKind);
    }
}

public sealed class EventIngestSqliteTests(SqliteServer s) : EventIngestTests(s), IClassFixture<SqliteServer>;

public sealed class EventIngestPostgresTests(PostgresServer s) : EventIngestTests(s), IClassFixture<PostgresServer>;
