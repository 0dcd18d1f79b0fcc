using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Policies;

/// <summary>
/// Rules across steps: <c>COUNT(PER run WHERE …)</c> reads the run's earlier requests from storage, in the decision's
/// transaction, on both stores. The three rules of the issue: a prerequisite, a per-run ceiling, an ordering rule.
/// </summary>
public abstract class RunRuleTests(ServerFixture server)
{
    private const string AllowAll = "action_type IN (charge.retrieve, refund.create, email.send, crm.update_record)";

    [Fact]
    public async Task A_refund_is_blocked_unless_the_run_executed_a_retrieve_of_the_same_charge()
    {
        var ws = await WorkspaceWithAsync(
            "action_type = refund.create AND COUNT(PER run WHERE action_type = charge.retrieve AND status = executed AND payload.chargeId = payload.charge) = 0");
        var run = await ws.StartRunAsync();
        var other = await ws.StartRunAsync();

        Assert.Equal("block", await DecideAsync(ws, run, "refund.create", new { charge = "ch_1", amount = 100 }));
        var retrieve = await RequestAsync(ws, run, "charge.retrieve", new { chargeId = "ch_1" });
        Assert.Equal("allow", retrieve.GetProperty("decision").GetString());
        Assert.Equal("executed", retrieve.GetProperty("execution").GetProperty("status").GetString());

        Assert.Equal("block", await DecideAsync(ws, run, "refund.create", new { charge = "ch_2", amount = 100 }));
        Assert.Equal("allow", await DecideAsync(ws, run, "refund.create", new { charge = "ch_1", amount = 100 }));
        Assert.Equal("block", await DecideAsync(ws, other, "refund.create", new { charge = "ch_1", amount = 100 })); // another run's retrieve
    }

    [Fact]
    public async Task At_most_three_emails_per_run()
    {
        var ws = await WorkspaceWithAsync("action_type = email.send AND COUNT(PER run SAME ACTION) >= 3");
        var run = await ws.StartRunAsync();
        var email = new { to = "ann@example.com", subject = "Hi", text = "Hello" };

        var decisions = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            decisions.Add(await DecideAsync(ws, run, "email.send", email));
        }

        Assert.Equal(["allow", "allow", "allow", "block", "block"], decisions);
        Assert.Equal("allow", await DecideAsync(ws, await ws.StartRunAsync(), "email.send", email));
    }

    [Fact]
    public async Task Ten_concurrent_emails_of_one_run_against_a_ceiling_of_three_allow_exactly_three()
    {
        var ws = await WorkspaceWithAsync("action_type = email.send AND COUNT(PER run SAME ACTION) >= 3");
        var run = await ws.StartRunAsync();
        using var start = new SemaphoreSlim(0);
        var sends = Enumerable.Range(0, 10).Select(async i =>
        {
            await start.WaitAsync();
            return await DecideAsync(ws, run, "email.send", new { to = $"user{i}@example.com", subject = "Hi", text = "Hello" });
        }).ToList();
        start.Release(10);

        var decisions = await Task.WhenAll(sends);

        Assert.Equal(3, decisions.Count(d => d == "allow"));
    }

    [Fact]
    public async Task No_crm_update_after_a_block_in_the_same_run()
    {
        var ws = await WorkspaceWithAsync("action_type = crm.update_record AND COUNT(PER run WHERE decision = block) > 0");
        await (await ws.Owner().PostJson("/api/policies", new { name = "cap", condition = "payload.amount > 5000", decision = "block" })).AssertStatus(HttpStatusCode.Created);
        var run = await ws.StartRunAsync();
        var update = new { objectType = "contacts", recordId = "501", properties = new { lifecyclestage = "customer" } };

        Assert.Equal("allow", await DecideAsync(ws, run, "crm.update_record", update));
        Assert.Equal("block", await DecideAsync(ws, run, "refund.create", new { charge = "ch_1", amount = 9000 }));
        Assert.Equal("block", await DecideAsync(ws, run, "crm.update_record", update));
        Assert.Equal("allow", await DecideAsync(ws, await ws.StartRunAsync(), "crm.update_record", update));
    }

    [Fact]
    public async Task Filters_compare_numbers_booleans_and_text_without_conversion()
    {
        var ws = await WorkspaceWithAsync(
            "action_type = refund.create AND COUNT(PER run WHERE payload.amount = 100 AND payload.metadata.vip != 'no') >= 1");
        var run = await ws.StartRunAsync();

        Assert.Equal("allow", await DecideAsync(ws, run, "refund.create", new { charge = "ch_1", amount = 100 })); // no vip: not present
        Assert.Equal("allow", await DecideAsync(ws, run, "refund.create", new { charge = "ch_2", amount = 100, metadata = new { vip = "no" } }));
        Assert.Equal("allow", await DecideAsync(ws, run, "refund.create", new { charge = "ch_3", amount = 101, metadata = new { vip = "yes" } }));
        Assert.Equal("allow", await DecideAsync(ws, run, "refund.create", new { charge = "ch_4", amount = 100, metadata = new { vip = "yes" } }));
        Assert.Equal("block", await DecideAsync(ws, run, "refund.create", new { charge = "ch_5", amount = 1 }));
    }

    [Fact]
    public async Task The_editor_check_accepts_run_rules_and_points_at_a_bad_test()
    {
        var ws = await server.NewWorkspaceAsync();
        var ok = await (await ws.Owner().PostJson("/api/policies/check", new { condition = "COUNT(PER run WHERE decision = block) > 0" })).Json();
        var bad = await (await ws.Owner().PostJson("/api/policies/check", new { condition = "COUNT(PER run\nWHERE agent.id = x) > 0" })).Json();

        Assert.True(ok.GetProperty("valid").GetBoolean());
        var diagnostic = Assert.Single(bad.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("invalid_velocity", diagnostic.GetProperty("code").GetString());
        Assert.Equal(2, diagnostic.GetProperty("line").GetInt32());
        Assert.Equal(7, diagnostic.GetProperty("column").GetInt32());
    }

    [Fact]
    public async Task Simulation_replays_run_rules_against_each_request_s_own_run()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PostJson("/api/policies", new { name = "allow", condition = AllowAll, decision = "allow" })).AssertStatus(HttpStatusCode.Created);
        var email = new { to = "ann@example.com", subject = "Hi", text = "Hello" };
        foreach (var run in new[] { await ws.StartRunAsync(), await ws.StartRunAsync() })
        {
            for (var i = 0; i < 4; i++)
            {
                await DecideAsync(ws, run, "email.send", email);
            }
        }

        var response = await ws.Owner().PostJson("/api/policies/simulate", new
        {
            policies = new[] { new { name = "draft", condition = "action_type = email.send AND COUNT(PER run SAME ACTION) >= 3", decision = "block" } },
        });

        var result = await response.Json();
        Assert.Equal(8, result.GetProperty("evaluated").GetInt32());
        Assert.Equal(2, result.GetProperty("changed").GetInt32()); // the fourth email of each run, not the last five overall
    }

    private async Task<TestWorkspace> WorkspaceWithAsync(string blockCondition)
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PostJson("/api/policies", new { name = "allow", condition = AllowAll, decision = "allow" })).AssertStatus(HttpStatusCode.Created);
        await (await ws.Owner().PostJson("/api/policies", new { name = "rule", condition = blockCondition, decision = "block" })).AssertStatus(HttpStatusCode.Created);
        return ws;
    }

    private static async Task<string> DecideAsync(TestWorkspace ws, string runId, string actionType, object payload) =>
        (await RequestAsync(ws, runId, actionType, payload)).GetProperty("decision").GetString()!;

    private static async Task<System.Text.Json.JsonElement> RequestAsync(TestWorkspace ws, string runId, string actionType, object payload)
    {
        var response = await ws.Agent().PostJson("/api/actions/request", new { runId, actionType, payload });
        await response.AssertStatus(HttpStatusCode.OK);
        return await response.Json();
    }
}

public sealed class RunRuleSqliteTests(SqliteServer s) : RunRuleTests(s), IClassFixture<SqliteServer>;

public sealed class RunRulePostgresTests(PostgresServer s) : RunRuleTests(s), IClassFixture<PostgresServer>;
