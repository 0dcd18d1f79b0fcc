using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>In-flight replays, reclaimed jobs, and an operator reconciling an unknown outcome.</summary>
public abstract class DispatchRecoveryTests(ReceiverServer server)
{
    private static object Slack(string runId, string text, string key) =>
        new { runId, actionType = "slack.post_message", payload = new { channel = "#ops", text }, idempotencyKey = key };

    private static object Hook(string runId, string path, string key) =>
        new { runId, actionType = "http.request", payload = new { path, method = "PUT", body = new { ok = true } }, idempotencyKey = key };

    [Fact]
    public async Task A_retry_while_the_call_is_in_flight_answers_at_once_with_execution_executing_and_later_the_final_answer()
    {
        var ws = await server.LiveWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var path = $"/inflight/{Guid.NewGuid():n}";
        server.Receiver.Delay(TimeSpan.FromSeconds(2));
        var first = ws.Agent().PostJson("/api/actions/request", Hook(runId, path, path));
        await WaitUntilAsync(() => server.Receiver.To(path).Count == 1);

        var clock = Stopwatch.StartNew();
        var replay = await ws.RequestActionAsync(Hook(runId, path, path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the replay waited {clock.Elapsed}");
        Assert.Equal("allow", replay.GetProperty("decision").GetString());
        Assert.Equal("executing", replay.GetProperty("execution").GetProperty("status").GetString());
        Assert.Equal("http.request", replay.GetProperty("execution").GetProperty("action_type").GetString());

        var answer = await (await first).Json();
        server.Receiver.Delay(TimeSpan.Zero);
        Assert.Equal("executed", answer.GetProperty("execution").GetProperty("status").GetString());
        Assert.Equal(answer.GetRawText(), (await ws.RequestActionAsync(Hook(runId, path, path))).GetRawText());
        Assert.Single(server.Receiver.To(path));
    }

    [Fact]
    public async Task An_unsafe_call_whose_holder_died_becomes_unknown_with_an_alert_and_is_never_sent_again()
    {
        var (ws, runId, text, answer) = await UnknownSlackAsync();

        var execution = answer.GetProperty("execution");
        Assert.Equal("unknown", execution.GetProperty("status").GetString());
        Assert.Equal("outcome_unknown", execution.GetProperty("error").GetProperty("code").GetString());
        var actionId = answer.GetProperty("actionRequestId").GetString()!;
        var alerts = await (await ws.Owner().GetAsync($"/api/alerts?runId={runId}")).Json();
        Assert.Contains(alerts.GetProperty("items").EnumerateArray(), a => a.GetProperty("actionRequestId").GetString() == actionId);
        var timeline = (await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()).ToList();
        Assert.Contains("action.outcome_unknown", timeline);
        Assert.DoesNotContain("action.executed", timeline);
        await Task.Delay(500); // a few more worker passes: nothing may send it again
        Assert.Single(server.Receiver.To("/api/chat.postMessage"), r => r.Body.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_reconciles_an_unknown_outcome_once_and_the_replay_shows_it()
    {
        var (ws, runId, text, answer) = await UnknownSlackAsync();
        var id = answer.GetProperty("actionRequestId").GetString()!;
        var url = $"/api/actions/{id}/reconcile";

        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostJson(url, new { outcome = "executed" })).StatusCode);
        await (await ws.Owner().PostJson(url, new { outcome = "maybe" })).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        var other = await server.NewWorkspaceAsync();
        await (await other.Owner().PostJson(url, new { outcome = "executed" })).AssertProblem(HttpStatusCode.NotFound, "not_found");

        var settled = await ws.Owner().PostJson(url, new { outcome = "executed", comment = "seen in the channel" });
        await settled.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("executed", (await settled.Json()).GetProperty("status").GetString());
        await (await ws.Owner().PostJson(url, new { outcome = "failed" })).AssertProblem(HttpStatusCode.Conflict, "not_reconcilable");

        var replay = await ws.RequestActionAsync(Slack(runId, text, text));
        Assert.Equal("executed", replay.GetProperty("execution").GetProperty("status").GetString());
        var timeline = (await ws.RunAsync(runId)).GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("eventType").GetString());
        Assert.Contains("action.reconciled", timeline);
        var audit = await (await ws.Owner().GetAsync("/api/audit")).Json();
        Assert.Contains("action.reconciled", audit.GetRawText());
        Assert.Single(server.Receiver.To("/api/chat.postMessage"), r => r.Body.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconciling_with_retry_sends_the_call_once_more_and_records_its_execution()
    {
        var (ws, runId, text, answer) = await UnknownSlackAsync();
        var id = answer.GetProperty("actionRequestId").GetString()!;

        await (await ws.Owner().PostJson($"/api/actions/{id}/reconcile", new { outcome = "retry" })).AssertStatus(HttpStatusCode.OK);
        await WaitUntilAsync(() => server.Receiver.To("/api/chat.postMessage").Count(r => r.Body.Contains(text, StringComparison.Ordinal)) == 2);
        JsonElement replay = default;
        await WaitUntilAsync(() =>
        {
            replay = ws.RequestActionAsync(Slack(runId, text, text)).GetAwaiter().GetResult();
            return replay.GetProperty("execution").GetProperty("status").GetString() == "executed";
        });
        Assert.Equal(2, server.Receiver.To("/api/chat.postMessage").Count(r => r.Body.Contains(text, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_safe_call_whose_holder_died_is_sent_again_under_the_same_idempotency_key()
    {
        var ws = await server.LiveWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var path = $"/safe/{Guid.NewGuid():n}";
        server.Receiver.Delay(TimeSpan.FromSeconds(1));
        var first = ws.Agent().PostJson("/api/actions/request", Hook(runId, path, path));
        await WaitUntilAsync(() => server.Receiver.To(path).Count == 1);
        await server.OrphanRunningJobsAsync(ws);
        await WaitUntilAsync(() => server.Receiver.To(path).Count == 2);
        server.Receiver.Delay(TimeSpan.Zero);

        var answer = await (await first).Json();
        var keys = server.Receiver.To(path).Select(r => r.Header("Idempotency-Key")).Distinct().ToList();
        Assert.Single(keys);
        Assert.Contains(answer.GetProperty("actionRequestId").GetString()!, keys[0]);
        // The first holder lost its lease and answered what was stored then; the resend's result follows.
        await WaitUntilAsync(() => ws.RequestActionAsync(Hook(runId, path, path)).GetAwaiter().GetResult()
            .GetProperty("execution").GetProperty("status").GetString() == "executed");
        Assert.Equal(2, server.Receiver.To(path).Count);
    }

    [Fact]
    public async Task A_job_that_waits_for_its_rerun_while_the_agent_is_frozen_is_recorded_failed_and_never_sent_again()
    {
        var ws = await server.LiveWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var path = $"/frozen/{Guid.NewGuid():n}";
        server.Receiver.Delay(TimeSpan.FromSeconds(1));
        var first = ws.Agent().PostJson("/api/actions/request", Hook(runId, path, path));
        await WaitUntilAsync(() => server.Receiver.To(path).Count == 1);
        await (await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/freeze", new { reason = "incident 42" })).AssertStatus(HttpStatusCode.OK);
        await server.OrphanRunningJobsAsync(ws);
        await first;
        server.Receiver.Delay(TimeSpan.Zero);

        JsonElement execution = default;
        await WaitUntilAsync(() =>
        {
            // The same key replays the stored answer, whose execution the rerun recorded.
            execution = ws.RequestActionAsync(Hook(runId, path, path)).GetAwaiter().GetResult().GetProperty("execution");
            return execution.GetProperty("status").GetString() == "failed";
        });
        Assert.Equal("agent_frozen", execution.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("incident 42", execution.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(server.Receiver.To(path));
    }

    private async Task<(TestWorkspace Ws, string RunId, string Text, JsonElement Answer)> UnknownSlackAsync()
    {
        var ws = await server.LiveWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var text = $"refund issued {Guid.NewGuid():n}";
        server.Receiver.Delay(TimeSpan.FromSeconds(1));
        var first = ws.Agent().PostJson("/api/actions/request", Slack(runId, text, text));
        await WaitUntilAsync(() => server.Receiver.To("/api/chat.postMessage").Any(r => r.Body.Contains(text, StringComparison.Ordinal)));
        await server.OrphanRunningJobsAsync(ws);
        // The first holder finishes its call but has lost the lease: it records nothing and answers what recovery recorded.
        var response = await first;
        server.Receiver.Delay(TimeSpan.Zero);
        await response.AssertStatus(HttpStatusCode.OK);
        JsonElement answer = await response.Json();
        await WaitUntilAsync(() =>
        {
            answer = ws.RequestActionAsync(Slack(runId, text, text)).GetAwaiter().GetResult();
            return answer.GetProperty("execution").GetProperty("status").GetString() != "executing";
        });
        return (ws, runId, text, answer);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 15 s");
            await Task.Delay(50);
        }
    }
}

public sealed class DispatchRecoverySqliteTests(ReceiverSqliteServer s) : DispatchRecoveryTests(s), IClassFixture<ReceiverSqliteServer>;

public sealed class DispatchRecoveryPostgresTests(ReceiverPostgresServer s) : DispatchRecoveryTests(s), IClassFixture<ReceiverPostgresServer>;
