using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Ingest;

/// <summary>A server with small limits, so each limit can be hit cheaply.</summary>
public sealed class SmallLimitsServer() : ServerFixture(StorageProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:Limits:MaxBodyBytes"] = "4096",
        ["Portcullis:Limits:MaxEventsPerBatch"] = "5",
        ["Portcullis:Limits:MaxPayloadBytes"] = "200",
        ["Portcullis:Limits:MaxStringLength"] = "32",
    };
}

public sealed class LimitsTests(SmallLimitsServer server) : IClassFixture<SmallLimitsServer>
{
    [Fact]
    public async Task A_body_over_the_limit_is_a_413_and_nothing_is_written()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var big = new string('x', 5000);
        var response = await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { new { eventType = "x", sequenceNo = 2, payload = new { big } } } });
        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Single((await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray());
    }

    [Fact]
    public async Task A_batch_over_the_event_limit_is_refused()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var events = Enumerable.Range(2, 6).Select(i => new { eventType = "x", sequenceNo = i }).ToArray();
        var response = await ws.Agent().PostJson("/api/ingest/events", new { runId, events });
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("between 1 and 5", problem.GetProperty("errors").GetProperty("events")[0].GetString());
    }

    [Fact]
    public async Task A_payload_over_the_payload_limit_is_refused()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var response = await ws.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { new { eventType = "x", sequenceNo = 2, payload = new { text = new string('y', 300) } } } });
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("at most 200 bytes", problem.GetProperty("errors").GetProperty("events[0].payload")[0].GetString());
    }

    [Fact]
    public async Task Strings_over_the_length_limit_are_refused()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Agent().PostJson("/api/ingest/run-start", new { triggerType = new string('t', 33) });
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("at most 32 characters", problem.GetProperty("errors").GetProperty("triggerType")[0].GetString());
    }
}
