using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Workflows;

/// <summary>Saving workflows: versions, every diagnostic with its field and position, roles and workspaces.</summary>
public abstract class WorkflowDefinitionTests(ServerFixture server)
{
    [Fact]
    public async Task A_workflow_is_created_versioned_listed_and_deleted()
    {
        var ws = await server.NewWorkspaceAsync();
        var created = await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow());
        var id = created.Str("id");
        Assert.StartsWith("wf_", id);
        Assert.Equal(1, created.GetProperty("version").GetInt32());
        Assert.Equal("api", created.GetProperty("trigger").Str("type"));
        Assert.Equal(3, created.GetProperty("steps").GetArrayLength());

        var updated = await ws.Owner().PutAsJsonAsync($"/api/workflows/{id}", WorkflowBuilders.RefundFlow("Refund flow v2"));
        await updated.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, (await updated.Json()).GetProperty("version").GetInt32());
        var versions = (await (await ws.Owner().GetAsync($"/api/workflows/{id}/versions")).Json()).GetProperty("data");
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal("Refund flow", versions[1].GetProperty("definition").Str("name"));

        var list = (await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/workflows")).Json()).GetProperty("data");
        Assert.Equal("Refund flow v2", Assert.Single(list.EnumerateArray()).Str("name"));

        await (await ws.Owner().DeleteAsync($"/api/workflows/{id}")).AssertStatus(HttpStatusCode.NoContent);
        await (await ws.Owner().GetAsync($"/api/workflows/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await ws.Agent().PostJson($"/api/workflows/{id}/runs", new { input = new { } })).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Every_problem_is_reported_with_its_field_and_template_position()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/workflows", new
        {
            name = "broken",
            steps = new object[]
            {
                new { id = "first", actionType = "refund.create", input = new { charge = "{{steps.second.output.id}}", amount = "x{{trigger.input.amount" } },
                new { id = "second", actionType = "refund.creat", input = new { } },
                new { id = "third", actionType = "slack.post_message", input = new { channel = "#a", text = "{{ secrets.token }}", extra = 1 }, when = "payload.x = 1" },
                new { id = "third", actionType = "x.custom", credentialId = "cred_nope", input = new { } },
            },
        });
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "invalid_workflow");
        var d = problem.GetProperty("diagnostics").EnumerateArray()
            .Select(x => (Code: x.Str("code"), Field: x.Str("field"), Line: x.GetProperty("line").GetInt32(), Column: x.GetProperty("column").GetInt32())).ToList();
        Assert.Contains(("later_step", "steps[0].input.charge", 1, 3), d);
        Assert.Contains(("template_malformed", "steps[0].input.amount", 1, 2), d);
        Assert.Contains(d, x => x.Code == "unknown_action_type" && x.Field == "steps[1].actionType");
        Assert.Contains(("unknown_variable", "steps[2].input.text", 1, 4), d);
        Assert.Contains(d, x => x.Code == "invalid_input" && x.Field == "steps[2].input.extra");
        Assert.Contains(d, x => x.Code == "invalid_when" && x.Field == "steps[2].when" && x.Line == 1 && x.Column == 1);
        Assert.Contains(d, x => x.Code == "duplicate_step_id" && x.Field == "steps[3].id");
        Assert.Contains(d, x => x.Code == "credential_not_linked" && x.Field == "steps[3].credentialId");
    }

    [Fact]
    public async Task A_whole_template_is_not_judged_by_the_schema_but_a_missing_required_field_is()
    {
        var ws = await server.NewWorkspaceAsync();
        var missing = await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/workflows", new
        {
            name = "refund",
            steps = new object[] { new { id = "refund", actionType = "refund.create", input = new { amount = "{{trigger.input.amount}}" } } },
        });
        var problem = await missing.AssertProblem(HttpStatusCode.BadRequest, "invalid_workflow");
        var only = Assert.Single(problem.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("steps[0].input.charge", only.Str("field"));
    }

    [Fact]
    public async Task Shape_errors_are_field_errors_and_schedules_are_checked()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/workflows", new { name = "x", steps = new object[] { new { id = "Bad Id", actionType = "x.y" } } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        await (await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/workflows", new { name = "x", steps = Array.Empty<object>() }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        await (await ws.Owner().PostRaw($"/api/agents/{ws.AgentId}/workflows", "{\"name\": ")).AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
        var cron = await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/workflows", new
        {
            name = "x",
            trigger = new { type = "schedule", cron = "every day", timeZone = "Mars/Olympus" },
            steps = new object[] { new { id = "a", actionType = "x.y" } },
        });
        var codes = (await cron.AssertProblem(HttpStatusCode.BadRequest, "invalid_workflow")).GetProperty("diagnostics").EnumerateArray().Select(x => x.Str("code"));
        Assert.Equal(["invalid_cron", "invalid_time_zone"], codes.Order());
    }

    [Fact]
    public async Task Viewers_read_admins_write_and_other_workspaces_see_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        var id = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));
        await (await viewer.GetAsync($"/api/workflows/{id}")).AssertStatus(HttpStatusCode.OK);
        await (await viewer.PutAsJsonAsync($"/api/workflows/{id}", WorkflowBuilders.RefundFlow())).AssertStatus(HttpStatusCode.Forbidden);
        await (await other.Owner().GetAsync($"/api/workflows/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await other.Owner().PutAsJsonAsync($"/api/workflows/{id}", WorkflowBuilders.RefundFlow())).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await other.Owner().PostJson($"/api/agents/{ws.AgentId}/workflows", WorkflowBuilders.RefundFlow())).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await other.Agent().PostJson($"/api/workflows/{id}/runs", new { input = new { } })).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class WorkflowDefinitionSqliteTests(SqliteServer s) : WorkflowDefinitionTests(s), IClassFixture<SqliteServer>;

public sealed class WorkflowDefinitionPostgresTests(PostgresServer s) : WorkflowDefinitionTests(s), IClassFixture<PostgresServer>;
