using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Policies;

public abstract class PoliciesApiTests(ServerFixture server)
{
    [Fact]
    public async Task A_policy_is_created_updated_with_a_new_version_and_keeps_its_history()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await ws.CreatePolicyAsync("big refunds", "action_type = refund.create AND payload.amount > 5000", "require_approval", "over $50");

        var updated = await ws.Owner().PutAsJsonAsync($"/api/policies/{id}", new { condition = "action_type = refund.create AND payload.amount > 10000", enabled = false });
        await updated.AssertStatus(HttpStatusCode.OK);
        var body = await updated.Json();
        Assert.Equal(2, body.GetProperty("version").GetInt32());
        Assert.False(body.GetProperty("enabled").GetBoolean());
        Assert.Equal("big refunds", body.GetProperty("name").GetString());

        var fetched = await (await ws.Owner().GetAsync($"/api/policies/{id}")).Json();
        var versions = fetched.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([2L, 1L], versions.Select(v => v.GetProperty("version").GetInt64()));
        Assert.Contains("5000", versions[1].GetProperty("condition").GetString());
        Assert.Equal("updated", versions[0].GetProperty("change").GetString());
    }

    [Fact]
    public async Task A_syntax_error_is_a_400_with_line_column_and_caret_and_nothing_is_saved()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PostJson("/api/policies", new { name = "broken", condition = "action_type = refund.create\nAND payload.amount >", decision = "block" });
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "invalid_policy");
        var diagnostic = problem.GetProperty("diagnostics")[0];
        Assert.Equal(2, diagnostic.GetProperty("line").GetInt32());
        Assert.True(diagnostic.GetProperty("column").GetInt32() >= 20);
        Assert.Contains("^", diagnostic.GetProperty("excerpt").GetString());
        Assert.False(string.IsNullOrEmpty(diagnostic.GetProperty("code").GetString()));
        Assert.Empty((await (await ws.Owner().GetAsync("/api/policies")).Json()).EnumerateArray());
    }

    [Fact]
    public async Task Invalid_fields_are_named()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PostJson("/api/policies", new { condition = "x", decision = "maybe", approvalsRequired = 0, agentIds = new[] { "agt_nope" } });
        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("decision", out _));
        Assert.True(errors.TryGetProperty("approvalsRequired", out _));

        var unknownAgent = await ws.Owner().PostJson("/api/policies", new { name = "n", condition = "action_type = x", decision = "block", agentIds = new[] { "agt_nope" } });
        Assert.True((await unknownAgent.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("agentIds", out _));
    }

    [Fact]
    public async Task Deleted_policies_stop_deciding()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await ws.CreatePolicyAsync("no refunds", "action_type = refund.create", "block");
        var runId = await ws.StartRunAsync();
        Assert.Equal("block", (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());
        await (await ws.Owner().DeleteAsync($"/api/policies/{id}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());
        await (await ws.Owner().GetAsync($"/api/policies/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_disabled_policy_does_not_decide_and_re_enabling_it_takes_effect_at_once()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await ws.CreatePolicyAsync("no refunds", "action_type = refund.create", "block");
        var runId = await ws.StartRunAsync();
        await (await ws.Owner().PutAsJsonAsync($"/api/policies/{id}", new { enabled = false })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("allow", (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());
        await (await ws.Owner().PutAsJsonAsync($"/api/policies/{id}", new { enabled = true })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("block", (await ws.RequestActionAsync(ActionBuilders.Refund(runId))).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task The_check_endpoint_reports_diagnostics_without_saving()
    {
        var ws = await server.NewWorkspaceAsync();
        var ok = await (await ws.Owner().PostJson("/api/policies/check", new { condition = "payload.amount > 5000" })).Json();
        Assert.True(ok.GetProperty("valid").GetBoolean());
        var bad = await (await ws.Owner().PostJson("/api/policies/check", new { condition = "payload.amount >> 5" })).Json();
        Assert.False(bad.GetProperty("valid").GetBoolean());
        Assert.NotEmpty(bad.GetProperty("diagnostics").EnumerateArray());
    }

    [Fact]
    public async Task Simulation_replays_recorded_requests_and_lists_the_decisions_that_would_change()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        foreach (var amount in new[] { 1000, 6000, 9000 })
        {
            await ws.RequestActionAsync(ActionBuilders.Refund(runId, amount));
        }

        var response = await ws.Owner().PostJson("/api/policies/simulate", new
        {
            policies = new[] { new { name = "draft", condition = "action_type = refund.create AND payload.amount > 5000", decision = "require_approval" } },
        });
        await response.AssertStatus(HttpStatusCode.OK);
        var result = await response.Json();
        Assert.Equal(3, result.GetProperty("evaluated").GetInt32());
        Assert.Equal(2, result.GetProperty("changed").GetInt32());
        var change = result.GetProperty("changes")[0];
        Assert.Equal("allow", change.GetProperty("current").GetProperty("decision").GetString());
        Assert.Equal("require_approval", change.GetProperty("draft").GetProperty("decision").GetString());
        Assert.Empty((await (await ws.Owner().GetAsync("/api/policies")).Json()).EnumerateArray());
    }

    [Fact]
    public async Task Simulation_replays_the_recorded_source_and_context()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var viaMcp = (await ws.RequestActionAsync(ActionBuilders.Refund(runId, 1000))).GetProperty("actionRequestId").GetString();
        await ws.RequestActionAsync(ActionBuilders.Refund(runId, 2000));
        await using (var c = await server.Factory.Services.GetRequiredService<Database>().OpenAsync())
        {
            await c.ExecuteAsync("UPDATE action_requests SET source = 'mcp', context = @context WHERE id = @viaMcp",
                new { viaMcp, context = """{"ticket": {"priority": "urgent"}}""" });
        }

        var response = await ws.Owner().PostJson("/api/policies/simulate", new
        {
            policies = new[] { new { name = "draft", condition = "source = mcp AND context.ticket.priority = urgent", decision = "block" } },
        });

        var result = await response.Json();
        Assert.Equal(2, result.GetProperty("evaluated").GetInt32());
        Assert.Equal(viaMcp, Assert.Single(result.GetProperty("changes").EnumerateArray()).GetProperty("actionRequestId").GetString());
    }

    [Fact]
    public async Task Simulating_an_invalid_draft_is_a_400()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PostJson("/api/policies/simulate", new { policies = new[] { new { name = "d", condition = "amount >", decision = "block" } } });
        await response.AssertProblem(HttpStatusCode.BadRequest, "invalid_policy");
    }

    [Fact]
    public async Task Policies_are_scoped_to_the_workspace_and_viewers_cannot_write()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        var id = await a.CreatePolicyAsync("a's", "action_type = x", "block");
        await (await b.Owner().GetAsync($"/api/policies/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Owner().PutAsJsonAsync($"/api/policies/{id}", new { enabled = false })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Owner().DeleteAsync($"/api/policies/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await (await b.Owner().GetAsync("/api/policies")).Json()).EnumerateArray());

        var viewer = server.WithBearer(await a.MemberTokenAsync("viewer"));
        await (await viewer.PostJson("/api/policies", new { name = "v", condition = "action_type = x", decision = "block" })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.GetAsync("/api/policies")).AssertStatus(HttpStatusCode.OK);
    }
}

public sealed class PoliciesApiSqliteTests(SqliteServer s) : PoliciesApiTests(s), IClassFixture<SqliteServer>;

public sealed class PoliciesApiPostgresTests(PostgresServer s) : PoliciesApiTests(s), IClassFixture<PostgresServer>;
