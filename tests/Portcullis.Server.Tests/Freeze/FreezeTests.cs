using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Server.Tests.Mcp;

namespace Portcullis.Server.Tests.Freeze;

/// <summary>The kill switch: a frozen agent (or workspace) is blocked at its next request, its held actions cannot be approved.</summary>
public abstract class FreezeTests(ServerFixture server)
{
    [Fact]
    public async Task A_frozen_agent_is_blocked_with_the_freeze_reason_recorded_and_audited_until_unfrozen()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();

        var frozen = await ws.FreezeAgentAsync("incident 42: refunds look wrong");
        Assert.Equal("incident 42: refunds look wrong", frozen.GetProperty("frozen").GetProperty("reason").GetString());
        var blocked = await ws.RequestActionAsync(ActionBuilders.Refund(runId));

        Assert.Equal("block", blocked.GetProperty("decision").GetString());
        Assert.Equal("incident 42: refunds look wrong", blocked.GetProperty("reason").GetString());
        Assert.Empty(blocked.GetProperty("matchedPolicies").EnumerateArray());
        Assert.False(blocked.TryGetProperty("execution", out _));
        Assert.Equal(["run.started", "action.requested", "policy.decision"], await ws.TimelineTypesAsync(runId));
        Assert.Equal("block", (await ws.CheckActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());

        var unfrozen = await ws.UnfreezeAgentAsync();
        Assert.Equal(JsonValueKind.Null, unfrozen.GetProperty("frozen").ValueKind);
        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());
        var audit = (await (await ws.Owner().GetAsync("/api/audit")).Json()).GetRawText();
        Assert.Contains("agent.frozen", audit);
        Assert.Contains("agent.unfrozen", audit);
    }

    [Fact]
    public async Task A_freeze_wins_over_an_allowing_policy_and_a_bare_post_freezes_with_a_default_reason()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("refunds are fine", "action_type = refund.create", "allow", "fine");
        var runId = await ws.StartRunAsync();

        await (await ws.Owner().PostAsync($"/api/agents/{ws.AgentId}/freeze", null)).AssertStatus(HttpStatusCode.OK);
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));

        Assert.Equal("block", answer.GetProperty("decision").GetString());
        Assert.Contains("frozen", answer.GetProperty("reason").GetString());
        var agent = await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}")).Json();
        Assert.Equal(answer.GetProperty("reason").GetString(), agent.GetProperty("frozen").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_mcp_tool_call_of_a_frozen_agent_is_blocked_and_recorded()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.FreezeAgentAsync("mcp stop");
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey);

        var call = await client.CallAsync("refund.create", new { charge = "ch_1", amount = 100 });

        Assert.True(call.IsError);
        Assert.Contains("mcp stop", call.Text());
        Assert.Equal("block", call.Answer()["decision"]!.GetValue<string>());
        Assert.Equal(1, await server.ActionRowsAsync(call.RunId()));
    }

    [Fact]
    public async Task A_frozen_workspace_blocks_its_agents_and_unfreezing_lets_them_act()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();

        var frozen = await ws.Owner().PostJson("/api/workspace/freeze", new { reason = "all stop" });
        await frozen.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("all stop", (await frozen.Json()).GetProperty("frozen").GetProperty("reason").GetString());
        var blocked = await ws.RequestActionAsync(ActionBuilders.Refund(runId));
        Assert.Equal(("block", "all stop"), (blocked.GetProperty("decision").GetString(), blocked.GetProperty("reason").GetString()));

        await (await ws.Owner().PostAsync("/api/workspace/unfreeze", null)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());
        Assert.Contains("workspace.frozen", (await (await ws.Owner().GetAsync("/api/audit")).Json()).GetRawText());
    }

    [Fact]
    public async Task Freezing_needs_an_admin_and_an_agent_of_the_workspace()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        await (await approver.PostJson($"/api/agents/{ws.AgentId}/freeze", new { reason = "no" })).AssertStatus(HttpStatusCode.Forbidden);
        await (await approver.PostJson("/api/workspace/freeze", new { reason = "no" })).AssertStatus(HttpStatusCode.Forbidden);
        var foreign = await other.Owner().PostJson($"/api/agents/{ws.AgentId}/freeze", new { reason = "no" });
        await foreign.AssertStatus(HttpStatusCode.NotFound);
        var tooLong = await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/freeze", new { reason = new string('x', 501) });
        await tooLong.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(await ws.StartRunAsync()))).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task A_held_action_of_a_frozen_agent_cannot_be_approved_and_is_approvable_after_unfreezing()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("big refunds", "action_type = refund.create AND payload.amount > 5000", "require_approval");
        var runId = await ws.StartRunAsync();
        var held = await ws.RequestActionAsync(ActionBuilders.Refund(runId, 7999));
        var approvalId = held.GetProperty("approvalRequestId").GetString()!;
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        await ws.FreezeAgentAsync("hold everything");
        var refused = await approver.ApproveAsync(approvalId);

        await refused.AssertStatus(HttpStatusCode.Conflict);
        var problem = await refused.Json();
        Assert.Equal("agent_frozen", problem.GetProperty("code").GetString());
        Assert.Contains("hold everything", problem.GetProperty("detail").GetString());
        var approval = await ws.Owner().ApprovalAsync(approvalId);
        Assert.Equal("pending", approval.GetProperty("status").GetString());
        Assert.DoesNotContain("action.executed", await ws.TimelineTypesAsync(runId));

        await ws.UnfreezeAgentAsync();
        await (await approver.ApproveAsync(approvalId)).AssertStatus(HttpStatusCode.OK);
        Assert.Contains("action.executed", await ws.TimelineTypesAsync(runId));
    }

    [Fact]
    public async Task A_held_action_can_still_be_rejected_while_frozen()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("big refunds", "action_type = refund.create AND payload.amount > 5000", "require_approval");
        var held = await ws.RequestActionAsync(ActionBuilders.Refund(await ws.StartRunAsync(), 7999));
        await (await ws.Owner().PostJson("/api/workspace/freeze", new { reason = "all stop" })).AssertStatus(HttpStatusCode.OK);

        var rejected = await server.WithBearer(await ws.MemberTokenAsync("approver")).RejectAsync(held.GetProperty("approvalRequestId").GetString()!);

        await rejected.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("rejected", (await rejected.Json()).GetProperty("status").GetString());
    }
}

public sealed class FreezeSqliteTests(SqliteServer s) : FreezeTests(s), IClassFixture<SqliteServer>;

public sealed class FreezePostgresTests(PostgresServer s) : FreezeTests(s), IClassFixture<PostgresServer>;
