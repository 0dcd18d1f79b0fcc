using System.Diagnostics.Metrics;
using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Telemetry;

/// <summary>The <c>Portcullis</c> meter: what a decision, an execution and an event batch add to it.</summary>
public sealed class MetricsTests(SqliteServer server) : IClassFixture<SqliteServer>, IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly LockedList<(string Instrument, double Value, Dictionary<string, object?> Tags)> _seen = new();

    private void Listen()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Portcullis")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _seen.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

    private double Sum(string instrument, Func<Dictionary<string, object?>, bool> where) =>
        _seen.Snapshot().Where(m => m.Instrument == instrument && where(m.Tags)).Sum(m => m.Value);

    [Fact]
    public async Task Each_decision_counts_once_by_decision_and_action_type()
    {
        Listen();
        var ws = await server.NewWorkspaceAsync();
        var actionType = "custom.metrics_" + Guid.NewGuid().ToString("n")[..8];
        await ws.CreatePolicyAsync("hold", $"action_type = {actionType} AND payload.n > 1", "block");
        var runId = await ws.StartRunAsync();
        foreach (var n in new[] { 1, 2, 3 })
        {
            var response = await ws.Agent().PostJson("/api/actions/request", new { runId, actionType, payload = new { n } });
            await response.AssertStatus(HttpStatusCode.OK);
        }

        bool Of(Dictionary<string, object?> tags, string decision) => Equals(tags["action_type"], actionType) && Equals(tags["decision"], decision);
        Assert.Equal(1, Sum("portcullis.decisions", t => Of(t, "allow")));
        Assert.Equal(2, Sum("portcullis.decisions", t => Of(t, "block")));
        Assert.Contains(_seen.Snapshot(), m => m.Instrument == "portcullis.policy.evaluation.duration");
    }

    [Fact]
    public async Task An_execution_counts_by_provider_and_status_and_events_count_as_ingested()
    {
        Listen();
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));
        Assert.Equal("executed", answer.GetProperty("execution").GetProperty("status").GetString());
        var events = new[] { new { eventType = "step", sequenceNo = 2 }, new { eventType = "step", sequenceNo = 3 } };
        await (await ws.Agent().PostJson("/api/ingest/events", new { runId, events })).AssertStatus(HttpStatusCode.OK);

        Assert.True(Sum("portcullis.executions", t => Equals(t["provider"], "stripe") && Equals(t["status"], "executed")) >= 1);
        Assert.Contains(_seen.Snapshot(), m => m.Instrument == "portcullis.connector.call.duration" && Equals(m.Tags["provider"], "stripe"));
        Assert.True(Sum("portcullis.events.ingested", _ => true) >= 2);
        Assert.Contains(_seen.Snapshot(), m => m.Instrument == "portcullis.sqlite.writer.group_size");
    }

    public void Dispose() => _listener.Dispose();
}
