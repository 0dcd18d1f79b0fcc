using System.Net;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Server.Tests.Recovery;

namespace Portcullis.Server.Tests.Workflows;

/// <summary>Workflows in live mode: the credential a step picks, and the version a run started with.</summary>
public abstract class WorkflowLiveTests(ReceiverServer server)
{
    [Fact]
    public async Task A_step_dispatches_with_the_credential_it_picked_and_the_others_with_the_agents_first()
    {
        var ws = await server.LiveWorkspaceAsync();
        await using var other = await FakeHttp.StartAsync((_, _) => (200, """{"other":true}"""));
        var created = await ws.Owner().PostJson("/api/credentials", new { provider = "webhook", name = "other", secrets = new { baseUrl = other.BaseUrl } });
        var otherId = (await created.Json()).Str("id");
        await (await ws.Owner().PostJson($"/api/credentials/{otherId}/links", new { agentId = ws.AgentId })).AssertStatus(HttpStatusCode.NoContent);
        var path = $"/pick/{Guid.NewGuid():n}";
        var workflowId = (await ws.CreateWorkflowAsync(new
        {
            name = "picker",
            steps = new object[]
            {
                new { id = "picked", actionType = "http.request", credentialId = otherId, input = new { path, method = "POST" } },
                new { id = "default", actionType = "http.request", input = new { path, method = "PUT" } },
            },
        })).Str("id");

        var run = await ws.WaitWorkflowRunAsync(await ws.StartWorkflowAsync(workflowId, new { }));

        Assert.Equal("completed", run.Str("status"));
        Assert.Equal("POST", Assert.Single(other.To(path)).Method);
        Assert.Equal("PUT", Assert.Single(server.Receiver.To(path)).Method);
        Assert.True(run.Step("picked").GetProperty("output").GetProperty("body").GetProperty("other").GetBoolean());
    }

    [Fact]
    public async Task An_approved_step_dispatches_with_the_credential_it_picked()
    {
        var ws = await server.LiveWorkspaceAsync();
        await using var other = await FakeHttp.StartAsync((_, _) => (200, """{"other":true}"""));
        var created = await ws.Owner().PostJson("/api/credentials", new { provider = "webhook", name = "other", secrets = new { baseUrl = other.BaseUrl } });
        var otherId = (await created.Json()).Str("id");
        await (await ws.Owner().PostJson($"/api/credentials/{otherId}/links", new { agentId = ws.AgentId })).AssertStatus(HttpStatusCode.NoContent);
        await ws.CreatePolicyAsync("hold picked", "workflow.step = picked", "require_approval");
        var path = $"/held/{Guid.NewGuid():n}";
        var workflowId = (await ws.CreateWorkflowAsync(new
        {
            name = "held picker",
            steps = new object[] { new { id = "picked", actionType = "http.request", credentialId = otherId, input = new { path, method = "POST" } } },
        })).Str("id");
        var runId = await ws.StartWorkflowAsync(workflowId, new { });
        var approvalId = (await ws.WaitWorkflowRunAsync(runId)).Step("picked").Str("approvalRequestId");

        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(approvalId)).AssertStatus(HttpStatusCode.OK);
        var done = await WorkflowRunTests.PollUntilAsync(ws, runId, s => s is "completed" or "failed");

        Assert.Equal("completed", done.Str("status"));
        Assert.Single(other.To(path));
        Assert.Empty(server.Receiver.To(path));
    }

    [Fact]
    public async Task A_run_keeps_the_version_it_started_with_when_a_new_one_is_saved_while_it_waits()
    {
        var ws = await server.LiveWorkspaceAsync();
        await ws.CreatePolicyAsync("gate", "workflow.step = gate", "require_approval");
        var path = $"/versioned/{Guid.NewGuid():n}";
        object Version(string label) => new
        {
            name = "versioned",
            steps = new object[]
            {
                new { id = "gate", actionType = "review.gate", input = new { } },
                new { id = "send", actionType = "http.request", input = new { path, method = "POST", body = new { label } } },
            },
        };
        var workflowId = (await ws.CreateWorkflowAsync(Version("one"))).Str("id");
        var runId = await ws.StartWorkflowAsync(workflowId, new { });
        var approvalId = (await ws.WaitWorkflowRunAsync(runId)).Step("gate").Str("approvalRequestId");
        await (await ws.Owner().PutAsJsonAsync($"/api/workflows/{workflowId}", Version("two"))).AssertStatus(HttpStatusCode.OK);

        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(approvalId)).AssertStatus(HttpStatusCode.OK);
        var done = await WorkflowRunTests.PollUntilAsync(ws, runId, s => s is "completed" or "failed");

        Assert.Equal(("completed", 1), (done.Str("status"), done.GetProperty("version").GetInt32()));
        Assert.Contains("\"one\"", Assert.Single(server.Receiver.To(path)).Body, StringComparison.Ordinal);
    }
}

public sealed class WorkflowLiveSqliteTests(ReceiverSqliteServer s) : WorkflowLiveTests(s), IClassFixture<ReceiverSqliteServer>;

public sealed class WorkflowLivePostgresTests(ReceiverPostgresServer s) : WorkflowLiveTests(s), IClassFixture<ReceiverPostgresServer>;
