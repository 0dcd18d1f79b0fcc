using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Infrastructure.ActionBuilders;

namespace Portcullis.Server.Tests.Policies;

/// <summary>
/// Shadow policies: evaluated on every request and recorded with it, shown per policy as the requests they would have
/// changed, never changing an outcome; promoted to enforce by one versioned update.
/// </summary>
public abstract class ShadowPolicyTests(ServerFixture server)
{
    [Fact]
    public async Task A_shadow_block_records_what_it_would_have_changed_and_changes_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await CreateAsync(ws, "big refunds", "action_type = refund.create AND payload.amount > 500", "block", "shadow");
        var runId = await ws.StartRunAsync();

        var big = await ws.RequestActionAsync(Refund(runId, amount: 1000));
        var small = await ws.RequestActionAsync(Refund(runId, amount: 100));

        Assert.Equal("allow", big.GetProperty("decision").GetString());
        Assert.Equal("allow", small.GetProperty("decision").GetString());
        var report = await ReportAsync(ws, id);
        Assert.Equal(1, report.GetProperty("matched").GetInt64());
        Assert.Equal(1, report.GetProperty("changed").GetInt64());
        var changed = Assert.Single(report.GetProperty("requests").EnumerateArray());
        Assert.Equal(big.GetProperty("actionRequestId").GetString(), changed.GetProperty("actionRequestId").GetString());
        Assert.Equal("allow", changed.GetProperty("enforced").GetString());
        Assert.Equal("block", changed.GetProperty("wouldBe").GetString());
        Assert.Single(await ws.TimelineTypesAsync(runId), t => t == "policy.shadow");
    }

    [Fact]
    public async Task A_shadow_policy_less_strict_than_the_enforced_decision_changes_nothing_and_adds_no_timeline_entry()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("enforced block", "action_type = refund.create", "block");
        var id = await CreateAsync(ws, "shadow allow", "action_type = refund.create", "allow", "shadow");
        var runId = await ws.StartRunAsync();

        var answer = await ws.RequestActionAsync(Refund(runId));

        Assert.Equal("block", answer.GetProperty("decision").GetString());
        var report = await ReportAsync(ws, id);
        Assert.Equal(1, report.GetProperty("matched").GetInt64());
        Assert.Equal(0, report.GetProperty("changed").GetInt64());
        Assert.DoesNotContain(await ws.TimelineTypesAsync(runId), t => t == "policy.shadow");
    }

    [Fact]
    public async Task A_shadow_velocity_policy_reads_its_figures_too()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await CreateAsync(ws, "second refund", "action_type = refund.create AND COUNT(LAST 1h PER agent SAME ACTION) >= 1", "require_approval", "shadow");
        var runId = await ws.StartRunAsync();

        await ws.RequestActionAsync(Refund(runId));
        var second = await ws.RequestActionAsync(Refund(runId));

        Assert.Equal("allow", second.GetProperty("decision").GetString());
        var changed = Assert.Single((await ReportAsync(ws, id)).GetProperty("requests").EnumerateArray());
        Assert.Equal("require_approval", changed.GetProperty("wouldBe").GetString());
    }

    [Fact]
    public async Task Promoting_to_enforce_is_a_new_version_and_decides_from_the_next_request()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await CreateAsync(ws, "big refunds", "action_type = refund.create", "block", "shadow");
        var runId = await ws.StartRunAsync();
        Assert.Equal("allow", (await ws.RequestActionAsync(Refund(runId))).GetProperty("decision").GetString());

        var promoted = await ws.Owner().PutAsJsonAsync($"/api/policies/{id}", new { mode = "enforce" });
        await promoted.AssertStatus(HttpStatusCode.OK);
        var policy = await promoted.Json();
        Assert.Equal("enforce", policy.GetProperty("mode").GetString());
        Assert.Equal(2, policy.GetProperty("version").GetInt64());
        Assert.Equal("block", (await ws.RequestActionAsync(Refund(runId))).GetProperty("decision").GetString());
        var history = await (await ws.Owner().GetAsync($"/api/policies/{id}")).Json();
        Assert.Equal(["enforce", "shadow"], history.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("mode").GetString()));
    }

    [Fact]
    public async Task A_bad_mode_is_a_field_error_and_an_unknown_policy_has_no_report()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PostJson("/api/policies", new { name = "x", condition = "action_type = refund.create", decision = "block", mode = "dry-run" });
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("mode", out _));
        await (await ws.Owner().GetAsync("/api/policies/pol_unknown/shadow")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        var other = await server.NewWorkspaceAsync();
        var foreign = await CreateAsync(other, "theirs", "action_type = refund.create", "block", "shadow");
        await (await ws.Owner().GetAsync($"/api/policies/{foreign}/shadow")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task The_mode_travels_in_the_policy_file_and_an_import_can_promote()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = await CreateAsync(ws, "rehearsal", "action_type = refund.create", "block", "shadow");
        var file = await (await ws.Owner().GetAsync("/api/policies/export")).Content.ReadAsStringAsync();
        Assert.Contains("\"mode\": \"shadow\"", file, StringComparison.Ordinal);

        var again = await (await ws.Owner().PostRaw("/api/policies/import", file)).Json();
        Assert.Equal(1, again.GetProperty("unchanged").GetArrayLength());
        var promoted = await ws.Owner().PostRaw("/api/policies/import", file.Replace(",\n    \"mode\": \"shadow\"", "", StringComparison.Ordinal));
        await promoted.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(1, (await promoted.Json()).GetProperty("changed").GetArrayLength());
        Assert.Equal("enforce", (await (await ws.Owner().GetAsync($"/api/policies/{id}")).Json()).GetProperty("policy").GetProperty("mode").GetString());
    }

    private static async Task<string> CreateAsync(TestWorkspace ws, string name, string condition, string decision, string mode)
    {
        var response = await ws.Owner().PostJson("/api/policies", new { name, condition, decision, mode });
        await response.AssertStatus(HttpStatusCode.Created);
        var policy = await response.Json();
        Assert.Equal(mode, policy.GetProperty("mode").GetString());
        return policy.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> ReportAsync(TestWorkspace ws, string policyId)
    {
        var response = await ws.Owner().GetAsync($"/api/policies/{policyId}/shadow?period=24h");
        await response.AssertStatus(HttpStatusCode.OK);
        return await response.Json();
    }
}

public sealed class ShadowPolicySqliteTests(SqliteServer s) : ShadowPolicyTests(s), IClassFixture<SqliteServer>;

public sealed class ShadowPolicyPostgresTests(PostgresServer s) : ShadowPolicyTests(s), IClassFixture<PostgresServer>;
