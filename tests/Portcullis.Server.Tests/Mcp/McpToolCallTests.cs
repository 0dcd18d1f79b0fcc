using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Mcp;

/// <summary><c>tools/call</c> through the engine: allow, block, approval and the wait tool, bad arguments, runs and <c>_meta</c>.</summary>
public abstract class McpToolCallTests(ServerFixture server)
{
    [Fact]
    public async Task An_allowed_call_answers_the_execution_and_is_recorded_with_source_mcp_in_the_clients_run()
    {
        var ws = await server.NewWorkspaceAsync();
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);

        var first = await client.CallAsync("charge.retrieve", new { chargeId = "ch_123" });
        Assert.False(first.IsError);
        Assert.Equal("ch_123", first.Structured().GetProperty("id").GetString());
        Assert.Contains("ch_123", first.Text());
        var second = await client.CallAsync("refund.create", new { charge = "ch_123", amount = 100 });
        Assert.Equal(first.RunId(), second.RunId());

        var run = (await ws.RunAsync(first.RunId())).GetProperty("run");
        Assert.Equal(("mcp", "running"), (run.GetProperty("triggerType").GetString(), run.GetProperty("status").GetString()));
        Assert.Equal(2, (await ws.TimelineTypesAsync(first.RunId())).Count(t => t == "action.requested"));
        var fromMcp = await server.Factory.Services.GetRequiredService<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM action_requests WHERE run_id = @runId AND source = 'mcp'", new { runId = first.RunId() }));
        Assert.Equal(2, fromMcp);
    }

    [Fact]
    public async Task A_run_id_in_meta_records_the_call_there_and_an_ended_client_run_is_replaced()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);

        var inRun = await client.CallAsync("charge.retrieve", new { chargeId = "ch_1" }, new Dictionary<string, object> { ["portcullis/runId"] = runId });
        Assert.Equal(runId, inRun.RunId());
        var grouped = await client.CallAsync("charge.retrieve", new { chargeId = "ch_1" });
        await (await ws.Agent().PostJson("/api/ingest/run-end", new { runId = grouped.RunId(), status = "completed" })).AssertStatus(HttpStatusCode.OK);
        var next = await client.CallAsync("charge.retrieve", new { chargeId = "ch_1" });
        Assert.False(next.IsError);
        Assert.NotEqual(grouped.RunId(), next.RunId());
    }

    [Fact]
    public async Task Invalid_arguments_are_a_tool_error_naming_every_bad_field_and_recorded()
    {
        var ws = await server.NewWorkspaceAsync();
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);

        var call = await client.CallAsync("refund.create", new { amount = "lots" }, new Dictionary<string, object> { ["portcullis/evidence"] = "not an object" });
        Assert.True(call.IsError);
        var errors = call.Structured().GetProperty("errors");
        Assert.True(errors.TryGetProperty("_meta.portcullis/evidence", out _), errors.GetRawText());

        var payload = await client.CallAsync("refund.create", new { amount = "lots" });
        Assert.True(payload.IsError);
        var fields = payload.Structured().GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("amount", fields);
        Assert.Contains("charge", fields);
        Assert.Contains("`amount`", payload.Text());
    }

    [Fact]
    public async Task A_call_needing_approval_names_it_and_the_wait_tool_returns_the_execution_once_approved()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner(), "action_type = refund.create AND payload.amount > 5000");
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);

        var call = await client.CallAsync("refund.create", new { charge = "ch_9", amount = 9000 });
        Assert.False(call.IsError);
        var approvalId = call.Structured().GetProperty("approvalId").GetString()!;
        Assert.EndsWith($"/approvals/{approvalId}", call.Structured().GetProperty("approvalUrl").GetString());
        Assert.Contains("portcullis_wait_for_approval", call.Text());
        var pending = await client.CallAsync("portcullis_wait_for_approval", new { approvalId, waitSeconds = 0 });
        Assert.Equal("pending", pending.Structured().GetProperty("status").GetString());

        var wait = client.CallAsync("portcullis_wait_for_approval", new { approvalId });
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));
        await (await approver.ApproveAsync(approvalId, "fine")).AssertStatus(HttpStatusCode.OK);
        var done = await wait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(done.IsError);
        Assert.StartsWith("re_", done.Structured().GetProperty("id").GetString());
        Assert.Equal(9000, done.Structured().GetProperty("amount").GetInt32());
    }

    [Fact]
    public async Task A_rejected_approval_is_a_tool_error_and_an_unknown_approval_too()
    {
        var ws = await server.NewWorkspaceAsync();
        await ApprovalSteps.RequireApprovalAsync(ws.Owner());
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);
        var approvalId = (await client.CallAsync("refund.create", new { charge = "ch_9", amount = 100 })).Structured().GetProperty("approvalId").GetString()!;
        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).RejectAsync(approvalId, "no")).AssertStatus(HttpStatusCode.OK);

        var rejected = await client.CallAsync("portcullis_wait_for_approval", new { approvalId });
        Assert.True(rejected.IsError);
        Assert.Contains("rejected", rejected.Text());
        Assert.True((await client.CallAsync("portcullis_wait_for_approval", new { approvalId = "apr_nope" })).IsError);
    }

    [Fact]
    public async Task A_2025_11_25_client_initializes_gets_a_session_and_its_calls_share_the_sessions_run()
    {
        var ws = await server.NewWorkspaceAsync();
        await using var legacy = await McpSession.ConnectAsync(server, ws.AgentKey, "2025-11-25");
        Assert.Equal("2025-11-25", legacy.NegotiatedProtocolVersion);
        Assert.NotNull(legacy.SessionId);
        var a = await legacy.CallAsync("charge.retrieve", new { chargeId = "ch_1" });
        var b = await legacy.CallAsync("charge.retrieve", new { chargeId = "ch_2" });
        Assert.Equal(a.RunId(), b.RunId());
        Assert.Equal($"mcp:session:{legacy.SessionId}", (await ws.RunAsync(a.RunId())).GetProperty("run").GetProperty("externalRef").GetString());

        await using var modern = await McpSession.ConnectAsync(server, ws.AgentKey);
        Assert.Equal("2026-07-28", modern.NegotiatedProtocolVersion);
        Assert.NotEqual(a.RunId(), (await modern.CallAsync("charge.retrieve", new { chargeId = "ch_3" })).RunId());
    }
}

public sealed class McpToolCallSqliteTests(SqliteServer s) : McpToolCallTests(s), IClassFixture<SqliteServer>;

public sealed class McpToolCallPostgresTests(PostgresServer s) : McpToolCallTests(s), IClassFixture<PostgresServer>;
