using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>
/// The tasks extension (2026-07-28, raw JSON-RPC): a call that waits for an approval answers a task when the request declares
/// the extension; <c>tasks/get</c> follows the approval to the executed action's result, a rejection, or stays working.
/// </summary>
public abstract class McpTaskTests(ServerFixture server)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_declaring_client_gets_a_task_that_completes_with_the_executions_result_once_a_member_approves()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner(), "action_type = refund.create AND payload.amount > 5000");
        var mcp = McpRaw.For(server, ws.AgentKey, declaresTasks: true);

        var created = McpRaw.Result(await mcp.CallToolAsync("refund.create", new { charge = "ch_9", amount = 9000 }));
        Assert.Equal(("task", "working"), (created.GetProperty("resultType").GetString(), created.GetProperty("status").GetString()));
        var taskId = created.GetProperty("taskId").GetString()!;
        Assert.StartsWith("apr_", taskId);
        Assert.True(created.GetProperty("pollIntervalMs").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("ttlMs").ValueKind);
        Assert.False(created.TryGetProperty("content", out _));
        // The task id is the approval's id: the REST API and the dashboard know it.
        Assert.Equal("pending", (await ws.Agent().ApprovalAsync(taskId)).GetProperty("status").GetString());

        var working = McpRaw.Result(await mcp.TaskAsync("tasks/get", taskId));
        Assert.Equal(("complete", "working"), (working.GetProperty("resultType").GetString(), working.GetProperty("status").GetString()));
        Assert.Contains($"/approvals/{taskId}", working.GetProperty("statusMessage").GetString());
        Assert.False(working.TryGetProperty("result", out _));

        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));
        await (await approver.ApproveAsync(taskId, "fine")).AssertStatus(HttpStatusCode.OK);
        var done = await mcp.UntilDoneAsync(taskId, Within);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var result = done.GetProperty("result");
        Assert.False(result.GetProperty("isError").GetBoolean());
        Assert.StartsWith("re_", result.GetProperty("structuredContent").GetProperty("id").GetString());
        Assert.Equal(9000, result.GetProperty("structuredContent").GetProperty("amount").GetInt32());
        Assert.Equal("approved", result.GetProperty("_meta").GetProperty("portcullis/approval").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_rejected_approval_completes_the_task_with_a_tool_error_naming_the_rejection()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner());
        var mcp = McpRaw.For(server, ws.AgentKey, declaresTasks: true);
        var taskId = McpRaw.Result(await mcp.CallToolAsync("refund.create", new { charge = "ch_9", amount = 100 })).GetProperty("taskId").GetString()!;

        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).RejectAsync(taskId, "too generous")).AssertStatus(HttpStatusCode.OK);
        var done = await mcp.UntilDoneAsync(taskId, Within);

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var result = done.GetProperty("result");
        Assert.True(result.GetProperty("isError").GetBoolean());
        var text = result.GetProperty("content")[0].GetProperty("text").GetString();
        Assert.Contains("rejected: too generous", text);
        Assert.Contains("not executed", text);
        Assert.Equal("rejected", result.GetProperty("structuredContent").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_client_without_the_extension_gets_the_approval_result_and_its_tasks_requests_are_refused()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner());
        var plain = McpRaw.For(server, ws.AgentKey, declaresTasks: false);

        var call = McpRaw.Result(await plain.CallToolAsync("refund.create", new { charge = "ch_9", amount = 100 }));
        Assert.False(call.TryGetProperty("taskId", out _));
        Assert.False(call.GetProperty("isError").GetBoolean());
        var approvalId = call.GetProperty("structuredContent").GetProperty("approvalId").GetString()!;
        Assert.Equal("portcullis_wait_for_approval", call.GetProperty("structuredContent").GetProperty("waitTool").GetString());

        var refused = McpRaw.Error(await plain.TaskAsync("tasks/get", approvalId));
        Assert.Equal(-32021, refused.GetProperty("code").GetInt32());
        // The same approval is a task for a request that declares the extension.
        var declaring = McpRaw.For(server, ws.AgentKey, declaresTasks: true);
        Assert.Equal("working", McpRaw.Result(await declaring.TaskAsync("tasks/get", approvalId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Another_agents_or_workspaces_task_is_not_found_and_a_task_cannot_be_cancelled()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner());
        var mcp = McpRaw.For(server, ws.AgentKey, declaresTasks: true);
        var taskId = McpRaw.Result(await mcp.CallToolAsync("refund.create", new { charge = "ch_9", amount = 100 })).GetProperty("taskId").GetString()!;

        var agent = await (await ws.Owner().PostJson("/api/agents", new { name = "second agent" })).Json();
        var key = await (await ws.Owner().PostJson($"/api/agents/{agent.GetProperty("id").GetString()}/keys", new { name = "k" })).Json();
        var sibling = McpRaw.For(server, key.GetProperty("key").GetString()!, declaresTasks: true);
        var stranger = McpRaw.For(server, (await server.NewWorkspaceAsync()).AgentKey, declaresTasks: true);
        foreach (var (client, id) in new[] { (sibling, taskId), (stranger, taskId), (mcp, "apr_00000000000000000000000000"), (mcp, "nope") })
        {
            var error = McpRaw.Error(await client.TaskAsync("tasks/get", id));
            Assert.Equal(-32602, error.GetProperty("code").GetInt32());
            Assert.Contains("not found", error.GetProperty("message").GetString());
        }

        var cancel = McpRaw.Error(await mcp.TaskAsync("tasks/cancel", taskId));
        Assert.Equal(-32602, cancel.GetProperty("code").GetInt32());
        Assert.Contains("cannot be cancelled", cancel.GetProperty("message").GetString());
        Assert.Equal(-32602, McpRaw.Error(await sibling.TaskAsync("tasks/cancel", taskId)).GetProperty("code").GetInt32());
        Assert.Equal("complete", McpRaw.Result(await mcp.TaskAsync("tasks/update", taskId)).GetProperty("resultType").GetString());
        Assert.Equal("working", McpRaw.Result(await mcp.TaskAsync("tasks/get", taskId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_server_advertises_the_tasks_extension_in_server_discover()
    {
        var ws = await server.NewWorkspaceAsync();
        var discover = McpRaw.Result(await McpRaw.For(server, ws.AgentKey, declaresTasks: false).SendAsync("server/discover", "server/discover", []));
        Assert.True(discover.GetProperty("capabilities").GetProperty("extensions").TryGetProperty(McpRaw.TasksExtension, out _), discover.ToString());
        Assert.True(discover.GetProperty("capabilities").TryGetProperty("tools", out _));
    }
}

public sealed class McpTaskSqliteTests(SqliteServer s) : McpTaskTests(s), IClassFixture<SqliteServer>;

public sealed class McpTaskPostgresTests(PostgresServer s) : McpTaskTests(s), IClassFixture<PostgresServer>;
