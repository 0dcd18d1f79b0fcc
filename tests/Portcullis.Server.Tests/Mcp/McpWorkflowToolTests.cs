using System.Net;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Server.Tests.Workflows;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>An agent's workflows as MCP tools: a call starts a run (every step governed) and answers it.</summary>
public abstract class McpWorkflowToolTests(ServerFixture server)
{
    [Fact]
    public async Task A_workflow_is_a_tool_whose_call_runs_it_and_answers_the_completed_run()
    {
        var ws = await server.NewWorkspaceAsync();
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);
        Assert.Equal("Refund flow", tools[$"workflow_{workflowId}"].ProtocolTool.Title);
        Assert.Contains("portcullis_wait_for_workflow_run", tools.Keys);
        var call = await client.CallAsync($"workflow_{workflowId}", new { charge = "ch_1", amount = 300 });

        Assert.NotEqual(true, call.IsError);
        var run = call.Structured();
        Assert.Equal(("completed", "mcp"), (run.Str("status"), run.Str("trigger")));
        Assert.Equal("completed", run.Step("refund").Str("status"));
        Assert.Equal(run.Str("runId"), call.RunId());
    }

    [Fact]
    public async Task A_held_step_names_its_approval_and_the_wait_tool_returns_the_run_once_approved()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("refunds", "workflow.step = refund", "require_approval");
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);

        var held = await client.CallAsync($"workflow_{workflowId}", new { charge = "ch_1", amount = 300 });
        Assert.NotEqual(true, held.IsError);
        var approvalId = held.Structured().Step("refund").Str("approvalRequestId");
        Assert.Contains($"/approvals/{approvalId}", held.Text(), StringComparison.Ordinal);

        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(approvalId)).AssertStatus(HttpStatusCode.OK);
        var workflowRunId = held.Structured().Str("id");
        var done = await client.CallAsync("portcullis_wait_for_workflow_run", new { workflowRunId, waitSeconds = 10 });
        for (var i = 0; i < 20 && done.Structured().Str("status") != "completed"; i++)
        {
            done = await client.CallAsync("portcullis_wait_for_workflow_run", new { workflowRunId, waitSeconds = 10 });
        }

        Assert.Equal("completed", done.Structured().Str("status"));
        var other = await server.NewWorkspaceAsync();
        await using var stranger = await McpSession.ConnectAsync(server, other.AgentKey);
        Assert.True((await stranger.CallAsync("portcullis_wait_for_workflow_run", new { workflowRunId })).IsError);
    }

    [Fact]
    public async Task A_failing_workflow_is_a_tool_error()
    {
        var ws = await server.NewWorkspaceAsync();
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);

        var call = await client.CallAsync($"workflow_{workflowId}", new { amount = 300 });

        Assert.True(call.IsError);
        Assert.Contains("template_unresolved", call.Structured().GetRawText(), StringComparison.Ordinal);
    }
}

public sealed class McpWorkflowToolSqliteTests(SqliteServer s) : McpWorkflowToolTests(s), IClassFixture<SqliteServer>;

public sealed class McpWorkflowToolPostgresTests(PostgresServer s) : McpWorkflowToolTests(s), IClassFixture<PostgresServer>;
