using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Workflows;

/// <summary>What the editor calls: the check as you type, and the dry run that records nothing.</summary>
public abstract class WorkflowEditorApiTests(ServerFixture server)
{
    [Fact]
    public async Task The_check_answers_every_diagnostic_with_its_field_and_saves_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));
        var good = await viewer.PostJson($"/api/agents/{ws.AgentId}/workflows/check", WorkflowBuilders.RefundFlow());
        await good.AssertStatus(HttpStatusCode.OK);
        var ok = await good.Json();
        Assert.True(ok.GetProperty("valid").GetBoolean());
        Assert.Equal(0, ok.GetProperty("diagnostics").GetArrayLength());

        var bad = await (await viewer.PostJson($"/api/agents/{ws.AgentId}/workflows/check", new
        {
            name = "bad",
            steps = new object[]
            {
                new { id = "refund", actionType = "refund.create", input = new { charge = "ch_1", amount = "{{trigger.input.amount" } },
                new { id = "note", actionType = "crm.note", input = new { text = "{{steps.later.output.id}}" } },
            },
        })).Json();
        Assert.False(bad.GetProperty("valid").GetBoolean());
        var d = bad.GetProperty("diagnostics").EnumerateArray().Select(x => (x.Str("code"), x.Str("field"), x.GetProperty("column").GetInt32())).ToList();
        Assert.Contains(("template_malformed", "steps[0].input.amount", 1), d);
        Assert.Contains(("unknown_variable", "steps[1].input.text", 3), d);

        // A shape error is a diagnostic on its field too, so the editor can show it where it belongs.
        var shape = await (await viewer.PostJson($"/api/agents/{ws.AgentId}/workflows/check", new
        {
            name = "x",
            steps = new object[] { new { id = "Bad Id", actionType = "x.y" } },
        })).Json();
        var only = Assert.Single(shape.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal(("invalid_field", "steps[0].id"), (only.Str("code"), only.Str("field")));

        var list = (await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/workflows")).Json()).GetProperty("data");
        Assert.Equal(0, list.GetArrayLength());
        await (await viewer.PostRaw($"/api/agents/{ws.AgentId}/workflows/check", "{\"name\": ")).AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
        var other = await server.NewWorkspaceAsync();
        await (await other.Owner().PostJson($"/api/agents/{ws.AgentId}/workflows/check", WorkflowBuilders.RefundFlow()))
            .AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await ws.Agent().PostJson($"/api/agents/{ws.AgentId}/workflows/check", WorkflowBuilders.RefundFlow())).AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_test_run_renders_each_step_decides_it_and_simulates_outputs_without_writing_anything()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("big refunds", "action_type = refund.create AND payload.amount > 5000", "require_approval", "big refunds need a human");
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        var before = await CountsAsync();

        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));
        var response = await viewer.PostJson($"/api/workflows/{workflowId}/test-run", new { input = new { charge = "ch_1", amount = 9000 } });
        await response.AssertStatus(HttpStatusCode.OK);
        var steps = (await response.Json()).GetProperty("steps");
        Assert.Equal(["refund", "note", "notify"], steps.EnumerateArray().Select(s => s.Str("id")));

        var refund = steps[0];
        Assert.Equal("require_approval", refund.Str("decision"));
        Assert.Equal("big refunds", Assert.Single(refund.GetProperty("matchedPolicies").EnumerateArray()).Str("name"));
        Assert.Equal(JsonValueKind.Number, refund.GetProperty("input").GetProperty("amount").ValueKind);
        Assert.True(refund.GetProperty("simulated").GetBoolean());
        var refundId = refund.GetProperty("output").GetProperty("id").GetString()!;
        var note = steps[1];
        Assert.Equal("allow", note.Str("decision"));
        Assert.Equal(refundId, note.GetProperty("input").Str("refund"));
        Assert.StartsWith($"Refunded {refundId} (9000 cents)", note.GetProperty("input").Str("text"));
        Assert.False(steps[2].GetProperty("skipped").GetBoolean());

        var small = (await (await viewer.PostJson($"/api/workflows/{workflowId}/test-run", new { input = new { charge = "ch_1", amount = 100 } })).Json())
            .GetProperty("steps");
        Assert.Equal("allow", small[0].Str("decision"));
        Assert.True(small[2].GetProperty("skipped").GetBoolean());
        Assert.Equal(JsonValueKind.Null, small[2].GetProperty("decision").ValueKind);

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_test_run_stops_at_a_blocked_step_or_an_unresolved_template_and_refuses_what_it_cannot_see()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("no refunds", "action_type = refund.create", "block", "refunds are off");
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        var blocked = (await (await ws.Owner().PostJson($"/api/workflows/{workflowId}/test-run", new { input = new { charge = "ch_1", amount = 9000 } })).Json())
            .GetProperty("steps");
        Assert.Equal(("block", "refunds are off"), (blocked[0].Str("decision"), blocked[0].Str("reason")));
        Assert.Equal(JsonValueKind.Null, blocked[0].GetProperty("output").ValueKind);
        Assert.True(blocked[1].GetProperty("skipped").GetBoolean());

        var missing = (await (await ws.Owner().PostJson($"/api/workflows/{workflowId}/test-run", new { input = new { amount = 10 } })).Json()).GetProperty("steps");
        Assert.Equal("template_unresolved", missing[0].GetProperty("error").Str("code"));
        Assert.Contains("trigger.input.charge", missing[0].GetProperty("error").Str("message"));

        await (await ws.Owner().PostJson($"/api/workflows/{workflowId}/test-run", new { input = 3 })).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        var other = await server.NewWorkspaceAsync();
        await (await other.Owner().PostJson($"/api/workflows/{workflowId}/test-run", new { input = new { } })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await ws.Owner().PostJson("/api/workflows/wf_nope/test-run", new { input = new { } })).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    private async Task<(long, long, long, long)> CountsAsync()
    {
        await using var c = await server.Factory.Services.GetRequiredService<Database>().OpenAsync();
        return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM action_requests"), await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runs"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM workflow_runs"), await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM executions"));
    }
}

public sealed class WorkflowEditorApiSqliteTests(SqliteServer s) : WorkflowEditorApiTests(s), IClassFixture<SqliteServer>;

public sealed class WorkflowEditorApiPostgresTests(PostgresServer s) : WorkflowEditorApiTests(s), IClassFixture<PostgresServer>;
