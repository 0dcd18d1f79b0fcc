using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Ingest;

public abstract class RunLifecycleTests(ServerFixture server)
{
    [Fact]
    public async Task Run_start_answers_run_id_and_running_and_records_run_started_as_sequence_1()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Agent().PostJson("/api/ingest/run-start",
            new { triggerType = "support-ticket", externalRef = "TKT-1042", agentVersion = "1.4.2", triggeredBy = "zendesk" });

        await response.AssertStatus(HttpStatusCode.Created);
        var body = await response.Json();
        var runId = body.GetProperty("runId").GetString()!;
        Assert.StartsWith("run_", runId);
        Assert.Equal("running", body.GetProperty("status").GetString());

        var run = await ws.RunAsync(runId);
        Assert.Equal("TKT-1042", run.GetProperty("run").GetProperty("externalRef").GetString());
        var first = Assert.Single(run.GetProperty("timeline").EnumerateArray());
        Assert.Equal(1, first.GetProperty("sequenceNo").GetInt64());
        Assert.Equal("run.started", first.GetProperty("eventType").GetString());
        Assert.Equal("system", first.GetProperty("source").GetString());
    }

    [Fact]
    public async Task The_agent_key_is_accepted_in_the_body_as_the_spec_documents()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await server.Anonymous().PostJson("/api/ingest/run-start", new { agentKey = ws.AgentKey, triggerType = "cron" });
        await response.AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Run_start_without_trigger_type_names_the_field()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Agent().PostJson("/api/ingest/run-start", new { externalRef = 42, agentVersion = true });

        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.Equal("is required", errors.GetProperty("triggerType")[0].GetString());
        Assert.Equal("must be a string", errors.GetProperty("externalRef")[0].GetString());
        Assert.Equal("must be a string", errors.GetProperty("agentVersion")[0].GetString());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Malformed_bodies_are_a_400_malformed_json(string body)
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Agent().PostRaw("/api/ingest/run-start", body);
        await response.AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Run_end_closes_the_run_and_a_second_end_is_a_409()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();

        var end = await ws.Agent().PostJson("/api/ingest/run-end", new { runId, status = "completed" });
        await end.AssertStatus(HttpStatusCode.OK);
        var run = await end.Json();
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, run.GetProperty("endedAt").ValueKind);

        var again = await ws.Agent().PostJson("/api/ingest/run-end", new { runId, status = "failed" });
        await again.AssertProblem(HttpStatusCode.Conflict, "run_ended");
        var stored = await ws.RunAsync(runId);
        Assert.Equal("completed", stored.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal("run.ended", stored.GetProperty("timeline").EnumerateArray().Last().GetProperty("eventType").GetString());
    }

    [Theory]
    [InlineData("running")]
    [InlineData("awaiting_approval")]
    [InlineData("done")]
    public async Task Run_end_accepts_only_final_statuses(string status)
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var response = await ws.Agent().PostJson("/api/ingest/run-end", new { runId, status });
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("failed")]
    [InlineData("blocked")]
    public async Task Each_final_status_ends_the_run(string status)
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var response = await ws.Agent().PostJson("/api/ingest/run-end", new { runId, status });
        await response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(status, (await ws.RunAsync(runId)).GetProperty("run").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ending_an_unknown_run_is_a_404()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Agent().PostJson("/api/ingest/run-end", new { runId = "run_01jdxxxxxxxxxxxxxxxxxxxxxx", status = "completed" });
        await response.AssertProblem(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class RunLifecycleSqliteTests(SqliteServer s) : RunLifecycleTests(s), IClassFixture<SqliteServer>;

public sealed class RunLifecyclePostgresTests(PostgresServer s) : RunLifecycleTests(s), IClassFixture<PostgresServer>;
