using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workflows;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Workflows;

/// <summary>Schedule and webhook triggers.</summary>
public abstract class WorkflowTriggerTests(ServerFixture server)
{
    private static object Flow(object trigger) => new
    {
        name = "triggered",
        trigger,
        steps = new object[] { new { id = "note", actionType = "crm.note", input = new { text = "{{trigger.input.text}}" } } },
    };

    [Fact]
    public async Task A_schedule_fires_once_per_occurrence_and_is_re_armed_at_the_next()
    {
        var ws = await server.NewWorkspaceAsync();
        var id = (await ws.CreateWorkflowAsync(Flow(new { type = "schedule", cron = "0 9 * * 1-5", timeZone = "Europe/Paris" }))).Str("id");
        var armedAt = await ScheduleJobAsync(id);
        Assert.Equal("pending", armedAt.Status);
        Assert.True(armedAt.NextAt > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        // The occurrence comes (the job falls due): the worker fires it, once, and arms the next one.
        await ExecAsync("UPDATE jobs SET next_at = 0 WHERE kind = 'workflow_schedule' AND subject_id = @id", id);
        var runs = await WaitForRunsAsync(ws, id, 1);
        Assert.Equal("schedule", runs[0].Str("trigger"));
        var rearmed = await ScheduleJobAsync(id);
        Assert.Equal("pending", rearmed.Status);
        Assert.Equal(armedAt.NextAt, rearmed.NextAt);
        await Task.Delay(1500);
        Assert.Single(await ListRunsAsync(ws, id));

        // No longer a schedule: disarmed.
        await (await ws.Owner().PutAsJsonAsync($"/api/workflows/{id}", Flow(new { type = "api" }))).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("done", (await ScheduleJobAsync(id)).Status);
    }

    [Fact]
    public void The_next_occurrence_follows_the_time_zone_across_daylight_saving()
    {
        var trigger = new WorkflowTrigger("schedule", "30 2 * * *", "Europe/Paris");
        // 29 March 2026: 02:30 does not exist in Paris (clocks go from 02:00 to 03:00); Cronos fires at the shifted instant.
        var next = WorkflowSchedules.NextOccurrence(trigger, new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero))!.Value;
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), next.ToUniversalTime());
        var winter = WorkflowSchedules.NextOccurrence(trigger, new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero))!.Value;
        Assert.Equal(new DateTimeOffset(2026, 1, 11, 1, 30, 0, TimeSpan.Zero), winter.ToUniversalTime());
        Assert.Null(WorkflowSchedules.NextOccurrence(new WorkflowTrigger("api"), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_webhook_url_is_shown_once_starts_runs_with_its_body_and_refuses_a_wrong_token()
    {
        var ws = await server.NewWorkspaceAsync();
        var created = await ws.CreateWorkflowAsync(Flow(new { type = "webhook" }));
        var url = new Uri(created.GetProperty("trigger").Str("url"));
        Assert.Matches(@"^/hooks/workflows/wf_[0-9a-z]+/whk_[0-9A-Za-z]{40}$", url.AbsolutePath);
        var id = created.Str("id");
        Assert.False((await (await ws.Owner().GetAsync($"/api/workflows/{id}")).Json()).GetProperty("trigger").TryGetProperty("url", out _));

        var hook = server.Anonymous();
        var started = await hook.PostJson(url.AbsolutePath, new { text = "from the hook" });
        await started.AssertStatus(HttpStatusCode.Accepted);
        var run = await ws.WaitWorkflowRunAsync((await started.Json()).Str("workflowRunId"));
        Assert.Equal(("completed", "webhook"), (run.Str("status"), run.Str("trigger")));
        Assert.Equal("from the hook", run.Step("note").GetProperty("input").Str("text"));

        await (await hook.PostJson(url.AbsolutePath[..^3] + "xyz", new { })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await hook.PostJson($"/hooks/workflows/wf_other/{url.Segments[^1]}", new { })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await hook.PostRaw(url.AbsolutePath, "not json")).AssertProblem(HttpStatusCode.BadRequest, "malformed_json");

        // A new version keeps the URL (not shown again); deleting the workflow retires it.
        var updated = await (await ws.Owner().PutAsJsonAsync($"/api/workflows/{id}", Flow(new { type = "webhook" }))).Json();
        Assert.False(updated.GetProperty("trigger").TryGetProperty("url", out _));
        await (await hook.PostJson(url.AbsolutePath, new { text = "again" })).AssertStatus(HttpStatusCode.Accepted);
        await (await ws.Owner().DeleteAsync($"/api/workflows/{id}")).AssertStatus(HttpStatusCode.NoContent);
        await (await hook.PostJson(url.AbsolutePath, new { text = "gone" })).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_signed_webhook_needs_a_fresh_hmac_of_the_exact_body()
    {
        var ws = await server.NewWorkspaceAsync();
        var created = await ws.CreateWorkflowAsync(Flow(new { type = "webhook", signed = true }));
        var trigger = created.GetProperty("trigger");
        var (path, secret) = (new Uri(trigger.Str("url")).AbsolutePath, trigger.Str("signingSecret"));
        Assert.StartsWith("whsec_", secret);
        var hook = server.Anonymous();
        const string body = """{"text": "signed"}""";

        await (await hook.PostRaw(path, body)).AssertProblem(HttpStatusCode.Unauthorized, "invalid_signature");
        await (await hook.SendAsync(Signed(path, body, secret, DateTimeOffset.UtcNow.AddMinutes(-10)))).AssertProblem(HttpStatusCode.Unauthorized, "invalid_signature");
        await (await hook.SendAsync(Signed(path, body, "whsec_not_the_secret", DateTimeOffset.UtcNow))).AssertProblem(HttpStatusCode.Unauthorized, "invalid_signature");
        var tampered = Signed(path, body, secret, DateTimeOffset.UtcNow);
        tampered.Content = new StringContent("""{"text": "tampered"}""", System.Text.Encoding.UTF8, "application/json");
        await (await hook.SendAsync(tampered)).AssertProblem(HttpStatusCode.Unauthorized, "invalid_signature");
        await (await hook.SendAsync(Signed(path, body, secret, DateTimeOffset.UtcNow))).AssertStatus(HttpStatusCode.Accepted);

        // A new version that stays signed keeps the secret (not shown again).
        var updated = await (await ws.Owner().PutAsJsonAsync($"/api/workflows/{created.Str("id")}", Flow(new { type = "webhook", signed = true }))).Json();
        Assert.False(updated.GetProperty("trigger").TryGetProperty("signingSecret", out _));
        Assert.True(updated.GetProperty("trigger").GetProperty("signed").GetBoolean());
        await (await hook.SendAsync(Signed(path, body, secret, DateTimeOffset.UtcNow))).AssertStatus(HttpStatusCode.Accepted);
    }

    private static HttpRequestMessage Signed(string path, string body, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes($"{t}.{body}"));
        return new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "X-Portcullis-Signature", $"t={t},v1={Convert.ToHexStringLower(mac)}" } },
        };
    }

    private Task ExecAsync(string sql, string id) =>
        server.Factory.Services.GetRequiredService<Database>().WriteAsync((c, t) => c.ExecuteAsync(sql, new { id }, t));

    private Task<(string Status, long NextAt)> ScheduleJobAsync(string id) =>
        server.Factory.Services.GetRequiredService<Database>().ReadAsync(c => c.QueryFirstAsync<(string, long)>(
            "SELECT status, next_at FROM jobs WHERE kind = 'workflow_schedule' AND subject_id = @id", new { id }));

    private static async Task<List<System.Text.Json.JsonElement>> ListRunsAsync(TestWorkspace ws, string id) =>
        [.. (await (await ws.Owner().GetAsync($"/api/workflows/{id}/runs")).Json()).GetProperty("data").EnumerateArray()];

    private static async Task<List<System.Text.Json.JsonElement>> WaitForRunsAsync(TestWorkspace ws, string id, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var runs = await ListRunsAsync(ws, id);
            if (runs.Count >= count || DateTime.UtcNow > deadline)
            {
                return runs;
            }

            await Task.Delay(100);
        }
    }
}

public sealed class WorkflowTriggerSqliteTests(SqliteServer s) : WorkflowTriggerTests(s), IClassFixture<SqliteServer>;

public sealed class WorkflowTriggerPostgresTests(PostgresServer s) : WorkflowTriggerTests(s), IClassFixture<PostgresServer>;
