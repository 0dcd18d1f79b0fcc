using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Freeze;

/// <summary><c>POST /api/actions/check</c>: the decision a request would get now, with nothing recorded or executed.</summary>
public abstract class CheckActionTests(ServerFixture server)
{
    [Theory]
    [InlineData(1200, "allow")]
    [InlineData(7999, "require_approval")]
    [InlineData(60000, "block")]
    public async Task A_check_records_nothing_and_answers_what_the_following_request_decides(int amount, string expected)
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("big refunds", "action_type = refund.create AND payload.amount > 5000", "require_approval", "over $50");
        await ws.CreatePolicyAsync("huge refunds", "action_type = refund.create AND payload.amount > 50000", "block", "over $500");
        var runId = await ws.StartRunAsync();

        var check = await ws.CheckActionAsync(ActionBuilders.Refund(runId, amount));

        Assert.Equal(["decision", "matchedPolicies", "reason"], check.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(expected, check.GetProperty("decision").GetString());
        Assert.Equal(0, await server.ActionRowsAsync(runId));
        Assert.Equal(["run.started"], await ws.TimelineTypesAsync(runId));

        var request = await ws.RequestActionAsync(ActionBuilders.Refund(runId, amount));
        Assert.Equal(request.GetProperty("decision").GetString(), check.GetProperty("decision").GetString());
        Assert.Equal(request.GetProperty("reason").GetString(), check.GetProperty("reason").GetString());
        Assert.Equal(request.GetProperty("matchedPolicies").GetRawText(), check.GetProperty("matchedPolicies").GetRawText());
        Assert.Equal(1, await server.ActionRowsAsync(runId));
    }

    [Fact]
    public async Task A_check_reads_velocity_like_a_request_and_does_not_count_towards_it()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("daily refund cap", "action_type = refund.create AND SUM(payload.amount, LAST 24h PER agent SAME ACTION) > 10000", "block", "cap");
        var runId = await ws.StartRunAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("allow", (await ws.CheckActionAsync(ActionBuilders.Refund(runId, 6000))).GetProperty("decision").GetString());
        }

        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(runId, 6000))).GetProperty("decision").GetString());
        var check = await ws.CheckActionAsync(ActionBuilders.Refund(runId, 6000));
        Assert.Equal(("block", "cap"), (check.GetProperty("decision").GetString(), check.GetProperty("reason").GetString()));
        Assert.Equal("block", (await ws.RequestActionAsync(ActionBuilders.Refund(runId, 6000))).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task A_check_executes_nothing_even_when_allowed()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();

        var check = await ws.CheckActionAsync(ActionBuilders.Refund(runId));

        Assert.Equal("allow", check.GetProperty("decision").GetString());
        Assert.False(check.TryGetProperty("execution", out _));
        Assert.False(check.TryGetProperty("actionRequestId", out _));
        Assert.Equal("running", (await ws.RunAsync(runId)).GetProperty("run").GetProperty("status").GetString());
        Assert.DoesNotContain("action.executed", await ws.TimelineTypesAsync(runId));
    }

    [Fact]
    public async Task A_bad_body_an_unknown_run_and_an_ended_run_get_the_problems_a_request_gets()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();

        var invalid = await ws.Agent().PostJson("/api/actions/check", new { runId, actionType = "refund.create", payload = new { amount = "lots" } });
        await invalid.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", (await invalid.Json()).GetProperty("code").GetString());
        Assert.Equal(["run.started"], await ws.TimelineTypesAsync(runId));
        var missing = await ws.Agent().PostJson("/api/actions/check", new { actionType = "refund.create", payload = new { } });
        await missing.AssertStatus(HttpStatusCode.BadRequest);

        var unknown = await ws.Agent().PostJson("/api/actions/check", ActionBuilders.Refund("run_doesnotexist"));
        await unknown.AssertStatus(HttpStatusCode.NotFound);
        Assert.Equal("not_found", (await unknown.Json()).GetProperty("code").GetString());

        await (await ws.Agent().PostJson("/api/ingest/run-end", new { runId, status = "completed" })).AssertStatus(HttpStatusCode.OK);
        var ended = await ws.Agent().PostJson("/api/actions/check", ActionBuilders.Refund(runId));
        await ended.AssertStatus(HttpStatusCode.Conflict);
        var request = await ws.Agent().PostJson("/api/actions/request", ActionBuilders.Refund(runId));
        Assert.Equal((await request.Json()).GetProperty("code").GetString(), (await ended.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_check_needs_an_agent_key()
    {
        var response = await server.Anonymous().PostJson("/api/actions/check", ActionBuilders.Refund("run_x"));
        await response.AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_check_with_a_used_idempotency_key_answers_the_first_decision()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await ws.RequestActionAsync(ActionBuilders.Refund(runId, idempotencyKey: "once"));
        await ws.CreatePolicyAsync("no refunds", "action_type = refund.create", "block", "refunds are disabled");

        var replay = await ws.CheckActionAsync(ActionBuilders.Refund(runId, idempotencyKey: "once"));
        var fresh = await ws.CheckActionAsync(ActionBuilders.Refund(runId, idempotencyKey: "twice"));

        Assert.Equal("allow", replay.GetProperty("decision").GetString());
        Assert.Equal("block", fresh.GetProperty("decision").GetString());
        Assert.Equal(1, await server.ActionRowsAsync(runId));
    }
}

public sealed class CheckActionSqliteTests(SqliteServer s) : CheckActionTests(s), IClassFixture<SqliteServer>;

public sealed class CheckActionPostgresTests(PostgresServer s) : CheckActionTests(s), IClassFixture<PostgresServer>;
