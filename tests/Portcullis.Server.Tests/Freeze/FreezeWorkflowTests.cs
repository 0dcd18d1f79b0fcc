using System.Net;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Server.Tests.Recovery;
using Portcullis.Server.Tests.Workflows;

namespace Portcullis.Server.Tests.Freeze;

/// <summary>A running workflow stops at its next step once its agent is frozen (live mode, so a step can be held in flight).</summary>
public abstract class FreezeWorkflowTests(ReceiverServer server)
{
    [Fact]
    public async Task A_running_workflow_fails_at_its_next_step_with_the_freeze_reason()
    {
        var ws = await server.LiveWorkspaceAsync();
        using var entered = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        // The first step's call is held here until the agent is frozen.
        await using var slow = await FakeHttp.StartAsync((_, _) =>
        {
            entered.Release();
            release.Wait(TimeSpan.FromSeconds(10));
            return (200, """{"slow":true}""");
        });
        var created = await ws.Owner().PostJson("/api/credentials", new { provider = "webhook", name = "slow", secrets = new { baseUrl = slow.BaseUrl } });
        var slowId = (await created.Json()).Str("id");
        await (await ws.Owner().PostJson($"/api/credentials/{slowId}/links", new { agentId = ws.AgentId })).AssertStatus(HttpStatusCode.NoContent);
        var path = $"/after-freeze/{Guid.NewGuid():n}";
        var workflowId = (await ws.CreateWorkflowAsync(new
        {
            name = "two calls",
            steps = new object[]
            {
                new { id = "first", actionType = "http.request", credentialId = slowId, input = new { path = "/first", method = "POST" } },
                new { id = "second", actionType = "http.request", input = new { path, method = "POST" } },
            },
        })).Str("id");

        var runId = await ws.StartWorkflowAsync(workflowId, new { });
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(10)), "the first step never called out");
        await ws.FreezeAgentAsync("stop the flow");
        release.Release();
        var done = await WorkflowRunTests.PollUntilAsync(ws, runId, s => s is "completed" or "failed" or "blocked");

        Assert.Equal("failed", done.Str("status"));
        Assert.Equal("completed", done.Step("first").Str("status"));
        Assert.Equal("failed", done.Step("second").Str("status"));
        Assert.Equal(("agent_frozen", "stop the flow", "second"),
            (done.GetProperty("error").Str("code"), done.GetProperty("error").Str("message"), done.GetProperty("error").Str("stepId")));
        Assert.Empty(server.Receiver.To(path));
        Assert.Equal(1, await server.ActionRowsAsync(done.Str("runId")));
    }
}

public sealed class FreezeWorkflowSqliteTests(ReceiverSqliteServer s) : FreezeWorkflowTests(s), IClassFixture<ReceiverSqliteServer>;

public sealed class FreezeWorkflowPostgresTests(ReceiverPostgresServer s) : FreezeWorkflowTests(s), IClassFixture<ReceiverPostgresServer>;
