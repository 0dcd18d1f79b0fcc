using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Actions;

public abstract class DecisionTests(ServerFixture server)
{
    [Fact]
    public async Task With_no_policy_the_default_allow_executes_through_the_demo_connector()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));

        Assert.Equal("allow", answer.GetProperty("decision").GetString());
        Assert.StartsWith("act_", answer.GetProperty("actionRequestId").GetString());
        Assert.Empty(answer.GetProperty("matchedPolicies").EnumerateArray());
        Assert.False(answer.TryGetProperty("approvalRequestId", out _));
        var execution = answer.GetProperty("execution");
        Assert.Equal("executed", execution.GetProperty("status").GetString());
        Assert.Equal("stripe", execution.GetProperty("provider").GetString());
        Assert.Equal("refund.create", execution.GetProperty("action_type").GetString());
        Assert.True(execution.GetProperty("simulated").GetBoolean());
        var refund = execution.GetProperty("response_payload");
        Assert.StartsWith("re_", refund.GetProperty("id").GetString());
        Assert.Equal(7999, refund.GetProperty("amount").GetInt32());

        Assert.Equal(["run.started", "action.requested", "policy.decision", "action.executed"], await ws.TimelineTypesAsync(runId));
    }

    [Fact]
    public async Task Allow_with_alert_executes_and_records_an_alert()
    {
        var ws = await server.NewWorkspaceAsync();
        var policyId = await ws.CreatePolicyAsync("watch refunds", "action_type = refund.create", "allow_with_alert", "refunds are watched");
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));

        Assert.Equal("allow_with_alert", answer.GetProperty("decision").GetString());
        Assert.Equal("refunds are watched", answer.GetProperty("reason").GetString());
        Assert.Equal("executed", answer.GetProperty("execution").GetProperty("status").GetString());
        Assert.Contains("alert.raised", await ws.TimelineTypesAsync(runId));
        var alerts = await (await ws.Owner().GetAsync("/api/alerts")).Json();
        var alert = Assert.Single(alerts.GetProperty("items").EnumerateArray());
        Assert.Equal(runId, alert.GetProperty("runId").GetString());
        Assert.Equal(policyId, alert.GetProperty("policies")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Require_approval_holds_the_action_and_moves_the_run_to_awaiting_approval()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("big refunds", "action_type = refund.create AND payload.amount > 5000", "require_approval", "refunds over $50 need a human");
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId, 7999));

        Assert.Equal("require_approval", answer.GetProperty("decision").GetString());
        Assert.StartsWith("apr_", answer.GetProperty("approvalRequestId").GetString());
        Assert.False(answer.TryGetProperty("execution", out _));
        var run = await ws.RunAsync(runId);
        Assert.Equal("awaiting_approval", run.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(["run.started", "action.requested", "policy.decision", "approval.requested"], await ws.TimelineTypesAsync(runId));
    }

    [Fact]
    public async Task Block_executes_nothing_and_says_why()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("no refunds", "action_type = refund.create", "block", "refunds are disabled");
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));

        Assert.Equal("block", answer.GetProperty("decision").GetString());
        Assert.Equal("refunds are disabled", answer.GetProperty("reason").GetString());
        Assert.False(answer.TryGetProperty("execution", out _));
        Assert.DoesNotContain("action.executed", await ws.TimelineTypesAsync(runId));
    }

    [Fact]
    public async Task The_most_restrictive_match_wins_priority_breaks_ties_and_every_match_is_listed()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("allow small", "action_type = refund.create", "allow", "fine", priority: 100);
        await ws.CreatePolicyAsync("approve low", "payload.amount > 10", "require_approval", "low priority approval", priority: 1);
        await ws.CreatePolicyAsync("approve high", "evidence.customerTier = premium", "require_approval", "premium customers get a human", priority: 5);
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));

        Assert.Equal("require_approval", answer.GetProperty("decision").GetString());
        Assert.Equal("premium customers get a human", answer.GetProperty("reason").GetString());
        var names = answer.GetProperty("matchedPolicies").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(3, names.Count);
        Assert.Equal("approve high", names[0]);
    }

    [Fact]
    public async Task The_workspace_default_decides_when_nothing_matches()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { defaultDecision = "block" })).AssertStatus(HttpStatusCode.OK);
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));
        Assert.Equal("block", answer.GetProperty("decision").GetString());
        Assert.Contains("default", answer.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_policy_scoped_to_other_agents_does_not_apply()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await (await ws.Owner().PostJson("/api/agents", new { name = "other" })).Json();
        await ws.CreatePolicyAsync("block other", "action_type = refund.create", "block", agentIds: [other.GetProperty("id").GetString()!]);
        var runId = await ws.StartRunAsync();
        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());

        await ws.CreatePolicyAsync("block me", "action_type = refund.create", "block", agentIds: [ws.AgentId!]);
        Assert.Equal("block", (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Custom_action_types_are_decided_and_recorded_but_never_dispatched()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(new { runId, actionType = "loyalty.grant_points", payload = new { points = 500 } });
        Assert.Equal("allow", answer.GetProperty("decision").GetString());
        Assert.False(answer.TryGetProperty("execution", out _));
        Assert.Equal(["run.started", "action.requested", "policy.decision"], await ws.TimelineTypesAsync(runId));
    }

    [Fact]
    public async Task Velocity_sums_this_agents_earlier_refunds_in_the_window()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("daily refund cap", "action_type = refund.create AND SUM(payload.amount, LAST 24h PER agent SAME ACTION) > 10000", "block", "daily refund total exceeded");
        var runId = await ws.StartRunAsync();
        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(runId, 6000))).GetProperty("decision").GetString());
        var second = await ws.RequestActionAsync(ActionBuilders.Refund(runId, 6000));
        Assert.Equal("block", second.GetProperty("decision").GetString());
        Assert.Equal("daily refund total exceeded", second.GetProperty("reason").GetString());
        // The blocked refund did not happen, so it does not count: a small one still fits.
        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(runId, 3000))).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Velocity_counts_earlier_requests_per_workspace()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("burst", "COUNT(LAST 1h PER workspace) >= 2", "require_approval", "too many actions this hour");
        var runId = await ws.StartRunAsync();
        var decisions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            decisions.Add((await ws.RequestActionAsync(new { runId, actionType = "note.add", payload = new { i } })).GetProperty("decision").GetString()!);
        }

        Assert.Equal(["allow", "allow", "require_approval"], decisions);
    }

    [Fact]
    public async Task Conditions_see_agent_and_run_fields()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("cron may not refund", "run.trigger_type = cron AND agent.name = 'agent-one'", "block");
        var cronRun = await ws.StartRunAsync("cron");
        var ticketRun = await ws.StartRunAsync("support-ticket");
        Assert.Equal("block", (await ws.RequestActionAsync(ActionBuilders.Refund(cronRun))).GetProperty("decision").GetString());
        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(ticketRun))).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task The_decision_is_on_the_timeline_with_the_matched_policies_and_payload()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("watch", "action_type = refund.create", "allow_with_alert", "watched");
        var runId = await ws.StartRunAsync();
        await ws.RequestActionAsync(ActionBuilders.Refund(runId));
        var timeline = (await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray().ToList();
        var requested = timeline.Single(e => e.GetProperty("eventType").GetString() == "action.requested");
        Assert.Equal("system", requested.GetProperty("source").GetString());
        Assert.Equal(7999, requested.GetProperty("payload").GetProperty("payload").GetProperty("amount").GetInt32());
        Assert.Equal("premium", requested.GetProperty("payload").GetProperty("evidence").GetProperty("customerTier").GetString());
        var decision = timeline.Single(e => e.GetProperty("eventType").GetString() == "policy.decision").GetProperty("payload");
        Assert.Equal("allow_with_alert", decision.GetProperty("decision").GetString());
        Assert.Equal("watch", decision.GetProperty("matchedPolicies")[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, timeline.Single(e => e.GetProperty("eventType").GetString() == "action.requested").GetProperty("sequenceNo").ValueKind);
    }
}

public sealed class DecisionSqliteTests(SqliteServer s) : DecisionTests(s), IClassFixture<SqliteServer>;

public sealed class DecisionPostgresTests(PostgresServer s) : DecisionTests(s), IClassFixture<PostgresServer>;
