using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Policies;

/// <summary>Policies as code: export, import (all-or-nothing, by name, one revision), and the revision on every decision.</summary>
public abstract class PolicyFilesTests(ServerFixture server)
{
    private const string Refunds = "action_type = refund.create AND payload.amount > 5000";

    private static async Task<string> ExportAsync(TestWorkspace ws)
    {
        var response = await ws.Owner().GetAsync("/api/policies/export");
        await response.AssertStatus(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<HttpResponseMessage> ImportAsync(TestWorkspace ws, string file, bool dryRun = false) =>
        ws.Owner().PostRaw("/api/policies/import" + (dryRun ? "?dryRun=true" : ""), file);

    private static List<string> Names(JsonElement diff, string property) =>
        [.. diff.GetProperty(property).EnumerateArray().Select(n => n.GetString()!)];

    [Fact]
    public async Task Export_is_deterministic_has_no_policy_ids_and_re_importing_it_changes_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.Owner().PostJson("/api/policies", new { name = "b scoped", description = "only our bot", condition = "action_type = email.send", decision = "allow_with_alert", agentIds = new[] { ws.AgentId } });
        await ws.CreatePolicyAsync("a refunds", Refunds, "require_approval", "over $50", priority: 5, approvalsRequired: 2);

        var file = await ExportAsync(ws);
        Assert.Equal(file, await ExportAsync(ws));
        Assert.DoesNotContain("pol_", file);
        var policies = JsonDocument.Parse(file).RootElement.EnumerateArray().ToList();
        Assert.Equal(["a refunds", "b scoped"], policies.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("only our bot", policies[1].GetProperty("description").GetString());
        Assert.Equal(2, policies[0].GetProperty("approvalsRequired").GetInt32());

        var before = await (await ImportAsync(ws, file, dryRun: true)).Json();
        var response = await ImportAsync(ws, file);
        await response.AssertStatus(HttpStatusCode.OK);
        var diff = await response.Json();
        Assert.Equal(["a refunds", "b scoped"], Names(diff, "unchanged"));
        Assert.Empty(Names(diff, "added").Concat(Names(diff, "changed")).Concat(Names(diff, "removed")));
        Assert.Equal(before.GetProperty("revision").GetInt64(), diff.GetProperty("revision").GetInt64());
        Assert.DoesNotContain("policies.imported", (await (await ws.Owner().GetAsync("/api/audit")).Json()).GetRawText());
        Assert.Equal(file, await ExportAsync(ws));
    }

    [Fact]
    public async Task Import_adds_changes_and_removes_by_name_in_one_revision_and_a_dry_run_changes_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var changedId = await ws.CreatePolicyAsync("refunds", Refunds, "require_approval");
        await ws.CreatePolicyAsync("kept", "action_type = email.send", "allow");
        await ws.CreatePolicyAsync("dropped", "action_type = sms.send", "block");
        var file = $$"""
            [
              { "name": "refunds", "condition": "{{Refunds}}", "decision": "block", "reason": "no big refunds" },
              { "name": "kept", "condition": "action_type = email.send", "decision": "allow" },
              { "name": "new one", "condition": "action_type = slack.post_message", "decision": "allow_with_alert" }
            ]
            """;
        var exported = await ExportAsync(ws);

        var dry = await (await ImportAsync(ws, file, dryRun: true)).Json();
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.Equal(["new one"], Names(dry, "added"));
        Assert.Equal(["refunds"], Names(dry, "changed"));
        Assert.Equal(["dropped"], Names(dry, "removed"));
        Assert.Equal(["kept"], Names(dry, "unchanged"));
        Assert.Equal(exported, await ExportAsync(ws));

        var applied = await (await ImportAsync(ws, file)).Json();
        Assert.False(applied.GetProperty("dryRun").GetBoolean());
        Assert.Equal(dry.GetProperty("revision").GetInt64() + 1, applied.GetProperty("revision").GetInt64());
        var names = (await (await ws.Owner().GetAsync("/api/policies")).Json()).EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order();
        Assert.Equal(["kept", "new one", "refunds"], names);

        var history = await (await ws.Owner().GetAsync($"/api/policies/{changedId}")).Json();
        Assert.Equal("block", history.GetProperty("policy").GetProperty("decision").GetString());
        Assert.Equal("imported", history.GetProperty("versions")[0].GetProperty("change").GetString());
        var audit = (await (await ws.Owner().GetAsync("/api/audit?action=policies.imported")).Json()).GetRawText();
        Assert.Contains("policies.imported", audit);
    }

    [Fact]
    public async Task A_file_with_bad_policies_changes_nothing_and_answers_every_problem_with_its_position()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("existing", "action_type = sms.send", "block");
        var exported = await ExportAsync(ws);
        var file = """
            [
              { "name": "fine", "condition": "action_type = email.send", "decision": "allow" },
              { "name": "broken", "condition": "action_type = refund.create\nAND payload.amount >", "decision": "block" },
              { "name": "fine", "condition": "action_type = email.send", "decision": "maybe" }
            ]
            """;

        var problem = await (await ImportAsync(ws, file)).AssertProblem(HttpStatusCode.BadRequest, "invalid_policy_file");
        var diagnostics = problem.GetProperty("diagnostics").EnumerateArray().ToList();
        var syntax = diagnostics.Single(d => d.GetProperty("policy").GetString() == "broken");
        Assert.Equal(2, syntax.GetProperty("index").GetInt32());
        Assert.Equal(2, syntax.GetProperty("line").GetInt32());
        Assert.Contains("^", syntax.GetProperty("excerpt").GetString());
        Assert.Contains(diagnostics, d => d.GetProperty("index").GetInt32() == 3 && d.GetProperty("message").GetString()!.Contains("decision"));
        Assert.Equal(exported, await ExportAsync(ws));

        await (await ImportAsync(ws, """{"name": "not an array"}""")).AssertProblem(HttpStatusCode.BadRequest, "invalid_policy_file");
        await (await ImportAsync(ws, """[{"name":"x","condition":"action_type = x","decision":"block","agentIds":["agt_elsewhere"]}]"""))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_policy_file");
        Assert.Equal(exported, await ExportAsync(ws));
    }

    [Fact]
    public async Task Decisions_and_approvals_record_the_policy_revision_that_made_them_and_an_import_moves_it_on()
    {
        var ws = await server.NewWorkspaceAsync();
        var approve = $$"""[{ "name": "refunds", "condition": "{{Refunds}}", "decision": "require_approval" }]""";
        var revision = (await (await ImportAsync(ws, approve)).Json()).GetProperty("revision").GetInt64();
        var runId = await ws.StartRunAsync();

        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));
        Assert.Equal(revision, answer.GetProperty("policyRevision").GetInt64());
        var approvalId = answer.GetProperty("approvalRequestId").GetString();
        var agentView = await (await ws.Agent().GetAsync($"/api/approvals/{approvalId}")).Json();
        Assert.Equal(revision, agentView.GetProperty("policyRevision").GetInt64());
        var approverView = await (await ws.Owner().GetAsync($"/api/approvals/{approvalId}")).Json();
        Assert.Equal(revision, approverView.GetProperty("policyRevision").GetInt64());
        var decision = (await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray()
            .Single(e => e.GetProperty("eventType").GetString() == "policy.decision");
        Assert.Equal(revision, decision.GetProperty("payload").GetProperty("policyRevision").GetInt64());

        var block = $$"""[{ "name": "refunds", "condition": "{{Refunds}}", "decision": "block" }]""";
        var next = (await (await ImportAsync(ws, block)).Json()).GetProperty("revision").GetInt64();
        Assert.Equal(revision + 1, next);
        var blocked = await ws.RequestActionAsync(ActionBuilders.Refund(await ws.StartRunAsync()));
        Assert.Equal("block", blocked.GetProperty("decision").GetString());
        Assert.Equal(next, blocked.GetProperty("policyRevision").GetInt64());
    }

    [Fact]
    public async Task Viewers_export_but_only_admins_import()
    {
        var ws = await server.NewWorkspaceAsync();
        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));
        await (await viewer.GetAsync("/api/policies/export")).AssertStatus(HttpStatusCode.OK);
        await (await viewer.PostRaw("/api/policies/import", "[]")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await ws.Owner().PostRaw("/api/policies/import?dryRun=maybe", "[]")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }
}

public sealed class PolicyFilesSqliteTests(SqliteServer s) : PolicyFilesTests(s), IClassFixture<SqliteServer>;

public sealed class PolicyFilesPostgresTests(PostgresServer s) : PolicyFilesTests(s), IClassFixture<PostgresServer>;
