using System.Diagnostics;

namespace Portcullis.Client.Tests;

/// <summary>
/// The client sends the caller's trace as <c>traceparent</c>: .NET's HTTP stack propagates <see cref="Activity.Current"/>,
/// and the SDK keeps the default handler chain that does it (a custom handler or propagator must not lose it).
/// </summary>
public sealed class TraceContextTests : ClientTestBase
{
    [Fact]
    public async Task A_call_made_under_an_activity_carries_its_trace_as_traceparent()
    {
        Server.Reply(Fixtures.Json(new { runId = "run_1", status = "running" }, 201));
        using var caller = new Activity("agent-step").SetIdFormat(ActivityIdFormat.W3C).Start();

        await Client.StartRunAsync(new StartRunRequest { TriggerType = "traced" });

        var traceparent = Assert.Single(Server.Received).Header("traceparent");
        Assert.NotNull(traceparent);
        Assert.Contains(caller.TraceId.ToHexString(), traceparent);
    }

    [Fact]
    public async Task A_call_made_outside_any_activity_carries_no_traceparent()
    {
        Server.Reply(Fixtures.Json(new { runId = "run_1", status = "running" }, 201));
        await Task.Run(() => Client.StartRunAsync(new StartRunRequest { TriggerType = "untraced" }));
        Assert.Null(Assert.Single(Server.Received).Header("traceparent"));
    }
}
