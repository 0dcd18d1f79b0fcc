using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Server.Tests.Scaling;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Actions;

/// <summary>
/// A run an action was requested in is remembered by the instance (no read for the next action), but never trusted to be
/// open: a run ended since refuses the next action with the same answer as before, wherever it was ended.
/// </summary>
public abstract class RememberedRunTests(ServerFixture server)
{
    [Fact]
    public async Task An_action_in_a_run_ended_after_an_earlier_action_is_409_with_the_runs_status()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await ws.RequestActionAsync(ActionBuilders.Refund(runId));
        await EndAsync(ws.Agent(), runId);

        var refused = await (await ws.Agent().PostJson("/api/actions/request", ActionBuilders.Refund(runId, 100)))
            .AssertProblem(HttpStatusCode.Conflict, "run_ended");

        Assert.Contains("with status `completed`", refused.GetProperty("detail").GetString());
        Assert.Single(await ws.TimelineTypesAsync(runId), t => t == "action.requested");
    }

    [Fact]
    public async Task An_invalid_payload_or_a_replayed_key_in_a_run_ended_since_is_409_and_records_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await ws.RequestActionAsync(ActionBuilders.Refund(runId, idempotencyKey: "remembered-1"));
        await EndAsync(ws.Agent(), runId);

        await (await ws.Agent().PostJson("/api/actions/request", new { runId, actionType = "refund.create", payload = new { amount = -5 } }))
            .AssertProblem(HttpStatusCode.Conflict, "run_ended");
        await (await ws.Agent().PostJson("/api/actions/request", ActionBuilders.Refund(runId, idempotencyKey: "remembered-1")))
            .AssertProblem(HttpStatusCode.Conflict, "run_ended");

        Assert.DoesNotContain("action.invalid", await ws.TimelineTypesAsync(runId));
    }

    internal static async Task EndAsync(HttpClient agent, string runId) =>
        await (await agent.PostJson("/api/ingest/run-end", new { runId, status = "completed" })).AssertStatus(HttpStatusCode.OK);
}

public sealed class RememberedRunSqliteTests(SqliteServer s) : RememberedRunTests(s), IClassFixture<SqliteServer>;

public sealed class RememberedRunPostgresTests(PostgresServer s) : RememberedRunTests(s), IClassFixture<PostgresServer>;

/// <summary>The same across instances: the run is remembered by one and ended through another.</summary>
public sealed class RememberedRunAcrossInstancesTests
{
    [Fact]
    public async Task A_run_ended_through_another_instance_refuses_the_next_action_on_the_one_that_remembers_it()
    {
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        await using var one = new PortcullisFactory(database, ScaledApprovals.NoPolling);
        await using var two = new PortcullisFactory(database, ScaledApprovals.NoPolling);
        var ws = await ScaledApprovals.CreateAsync(one);
        var start = await ws.Agent(one).PostJson("/api/ingest/run-start", new { triggerType = "support-ticket" });
        var runId = (await start.Json()).GetProperty("runId").GetString()!;
        var note = new { runId, actionType = "crm.note", payload = new { text = "remembered" } };
        await (await ws.Agent(two).PostJson("/api/actions/request", note)).AssertStatus(HttpStatusCode.OK);

        await RememberedRunTests.EndAsync(ws.Agent(one), runId);
        var refused = await (await ws.Agent(two).PostJson("/api/actions/request", note)).AssertProblem(HttpStatusCode.Conflict, "run_ended");

        Assert.Contains("with status `completed`", refused.GetProperty("detail").GetString());
        Assert.Equal(1L, await two.Services.GetRequiredService<Database>().ReadAsync(c =>
            c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM action_requests WHERE run_id = @runId", new { runId })));
    }
}
