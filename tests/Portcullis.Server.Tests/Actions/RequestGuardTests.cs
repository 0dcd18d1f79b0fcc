using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Actions;

/// <summary>Bad input, idempotency, and whose run it is.</summary>
public abstract class RequestGuardTests(ServerFixture server)
{
    [Fact]
    public async Task An_invalid_built_in_payload_names_every_field_and_is_recorded_on_the_timeline()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var response = await ws.Agent().PostJson("/api/actions/request", new
        {
            runId, actionType = "refund.create", payload = new { amount = -5, reason = "because" },
        });
        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("payload.charge", out _));
        Assert.True(errors.TryGetProperty("payload.amount", out _));
        Assert.True(errors.TryGetProperty("payload.reason", out _));
        Assert.Equal(["run.started", "action.invalid"], await ws.TimelineTypesAsync(runId));
    }

    [Fact]
    public async Task The_provider_is_inferred_and_a_mismatch_is_a_400()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var inferred = await ws.RequestActionAsync(new { runId, actionType = "email.send", payload = new { to = "a@example.com", subject = "Hi", text = "Hello" } });
        Assert.Equal("gmail", inferred.GetProperty("execution").GetProperty("provider").GetString());

        var mismatch = await ws.Agent().PostJson("/api/actions/request", new { runId, actionType = "email.send", provider = "stripe", payload = new { to = "a@example.com", subject = "Hi", text = "x" } });
        var problem = await mismatch.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("gmail", problem.GetProperty("errors").GetProperty("provider")[0].GetString());
    }

    [Fact]
    public async Task Missing_and_mistyped_fields_are_named()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Agent().PostJson("/api/actions/request", new { actionType = 5, payload = "text", evidence = 3, callbackUrl = "ftp://x" });
        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        foreach (var field in new[] { "runId", "actionType", "payload", "evidence", "callbackUrl" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task A_retry_with_the_same_key_returns_the_first_answer_byte_for_byte_and_executes_once()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var body = ActionBuilders.Refund(runId, idempotencyKey: "refund-TKT-1042");
        var first = await (await ws.Agent().PostJson("/api/actions/request", body)).Content.ReadAsStringAsync();
        var second = await (await ws.Agent().PostJson("/api/actions/request", body)).Content.ReadAsStringAsync();
        Assert.Equal(first, second);
        Assert.Single(await ws.TimelineTypesAsync(runId), t => t == "action.executed");
    }

    [Fact]
    public async Task Twenty_concurrent_retries_execute_once_and_all_get_the_same_answer()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var client = ws.Agent();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            client.PostJson("/api/actions/request", ActionBuilders.Refund(runId, idempotencyKey: "race-1"))));
        var bodies = new List<string>();
        foreach (var response in responses)
        {
            await response.AssertStatus(HttpStatusCode.OK);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(bodies.Distinct());
        var types = await ws.TimelineTypesAsync(runId);
        Assert.Single(types, t => t == "action.executed");
        Assert.Single(types, t => t == "action.requested");
    }

    [Fact]
    public async Task The_idempotency_key_header_works_and_a_different_body_with_the_same_key_is_a_409()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var client = ws.Agent();
        client.DefaultRequestHeaders.Add("Idempotency-Key", "header-key-1");
        await (await client.PostJson("/api/actions/request", ActionBuilders.Refund(runId, 1000))).AssertStatus(HttpStatusCode.OK);
        var conflict = await client.PostJson("/api/actions/request", ActionBuilders.Refund(runId, 2000));
        await conflict.AssertProblem(HttpStatusCode.Conflict, "conflict");
        Assert.Single(await ws.TimelineTypesAsync(runId), t => t == "action.requested");
    }

    [Fact]
    public async Task Requests_on_an_ended_run_are_409_and_on_another_workspaces_run_404()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await (await other.Agent().PostJson("/api/actions/request", ActionBuilders.Refund(runId))).AssertProblem(HttpStatusCode.NotFound, "not_found");

        await (await ws.Agent().PostJson("/api/ingest/run-end", new { runId, status = "completed" })).AssertStatus(HttpStatusCode.OK);
        await (await ws.Agent().PostJson("/api/actions/request", ActionBuilders.Refund(runId))).AssertProblem(HttpStatusCode.Conflict, "run_ended");
        Assert.DoesNotContain("action.requested", await ws.TimelineTypesAsync(runId));
    }

    [Fact]
    public async Task Idempotency_keys_are_per_agent()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        var runA = await a.StartRunAsync();
        var runB = await b.StartRunAsync();
        var answerA = await a.RequestActionAsync(ActionBuilders.Refund(runA, idempotencyKey: "shared"));
        var answerB = await b.RequestActionAsync(ActionBuilders.Refund(runB, idempotencyKey: "shared"));
        Assert.NotEqual(answerA.GetProperty("actionRequestId").GetString(), answerB.GetProperty("actionRequestId").GetString());
    }

    [Fact]
    public async Task A_locked_workspace_gets_402_on_action_requests()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { billing = new { state = "cancelled" } })).AssertStatus(HttpStatusCode.OK);
        await (await ws.Agent().PostJson("/api/actions/request", ActionBuilders.Refund(runId))).AssertProblem(HttpStatusCode.PaymentRequired, "billing_locked");
    }
}

public sealed class RequestGuardSqliteTests(SqliteServer s) : RequestGuardTests(s), IClassFixture<SqliteServer>;

public sealed class RequestGuardPostgresTests(PostgresServer s) : RequestGuardTests(s), IClassFixture<PostgresServer>;
