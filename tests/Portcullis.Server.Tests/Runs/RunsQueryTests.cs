using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Runs;

public abstract class RunsQueryTests(ServerFixture server)
{
    [Fact]
    public async Task Runs_filter_by_status_trigger_external_ref_and_agent()
    {
        var ws = await server.NewWorkspaceAsync();
        var open = await ws.StartRunAsync("support-ticket", "TKT-1");
        var done = await ws.StartRunAsync("cron", "JOB-7");
        await (await ws.Agent().PostJson("/api/ingest/run-end", new { runId = done, status = "completed" })).AssertStatus(HttpStatusCode.OK);

        async Task<List<string>> Ids(string query) =>
            (await (await ws.Owner().GetAsync("/api/runs" + query)).Json()).GetProperty("items").EnumerateArray()
                .Select(r => r.GetProperty("runId").GetString()!).ToList();

        Assert.Equal([open], await Ids("?status=running"));
        Assert.Equal([done], await Ids("?status=completed"));
        Assert.Equal([done], await Ids("?triggerType=cron"));
        Assert.Equal([open], await Ids("?externalRef=TKT-1"));
        Assert.Equal([done, open], await Ids($"?agentId={ws.AgentId}"));
        Assert.Empty(await Ids("?agentId=agt_other"));
        Assert.Empty(await Ids($"?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}"));
        Assert.Equal(2, (await Ids($"?to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}")).Count);
    }

    [Fact]
    public async Task Runs_filter_by_a_decision_one_of_their_requests_got()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PostJson("/api/policies", new { name = "cap", condition = "payload.amount > 5000", decision = "block" })).AssertStatus(HttpStatusCode.Created);
        var blocked = await ws.StartRunAsync();
        var allowed = await ws.StartRunAsync();
        await ws.RequestActionAsync(new { runId = blocked, actionType = "refund.create", payload = new { charge = "ch_1", amount = 9000 } });
        await ws.RequestActionAsync(new { runId = allowed, actionType = "refund.create", payload = new { charge = "ch_2", amount = 100 } });

        async Task<List<string>> Ids(string decision) =>
            (await (await ws.Owner().GetAsync("/api/runs?decision=" + decision)).Json()).GetProperty("items").EnumerateArray()
                .Select(r => r.GetProperty("runId").GetString()!).ToList();

        Assert.Equal([blocked], await Ids("block"));
        Assert.Equal([allowed], await Ids("allow"));
        Assert.Empty(await Ids("require_approval"));
        await (await ws.Owner().GetAsync("/api/runs?decision=maybe")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Runs_page_with_a_cursor_newest_first_without_gaps_or_repeats()
    {
        var ws = await server.NewWorkspaceAsync();
        var started = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            started.Add(await ws.StartRunAsync());
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await ws.Owner().GetAsync("/api/runs?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"))).Json();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("runId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // Paging walks exactly the single-page order (newest first; ties in the same millisecond by id).
        var all = await (await ws.Owner().GetAsync("/api/runs?limit=200")).Json();
        Assert.Equal(all.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("runId").GetString()!), seen);
        Assert.Equal(started.Order(), seen.Order());
    }

    [Theory]
    [InlineData("?status=sleeping", "status")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?cursor=%%%", "cursor")]
    public async Task Bad_filters_are_named(string query, string field)
    {
        var ws = await server.NewWorkspaceAsync();
        var problem = await (await ws.Owner().GetAsync("/api/runs" + query)).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Reading_runs_needs_a_member()
    {
        await (await server.Anonymous().GetAsync("/api/runs")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }
}

public sealed class RunsQuerySqliteTests(SqliteServer s) : RunsQueryTests(s), IClassFixture<SqliteServer>;

public sealed class RunsQueryPostgresTests(PostgresServer s) : RunsQueryTests(s), IClassFixture<PostgresServer>;
