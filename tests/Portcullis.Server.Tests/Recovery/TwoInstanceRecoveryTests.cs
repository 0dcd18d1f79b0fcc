using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>Several instances over one PostgreSQL race for the jobs of a dead holder: each job is reclaimed exactly once.</summary>
public sealed class TwoInstanceRecoveryTests
{
    private const int Actions = 10;

    [Fact]
    public async Task Three_instances_racing_for_orphaned_jobs_resend_each_safe_call_exactly_once()
    {
        await using var receiver = await FakeHttp.StartAsync((_, _) => (200, """{"received":true}"""));
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        var settings = new Dictionary<string, string?> { ["Portcullis:Jobs:PollIntervalMs"] = "20", ["Portcullis:Jobs:LeaseSeconds"] = "2" };
        await using var one = new PortcullisFactory(database, settings);
        await using var two = new PortcullisFactory(database, settings);
        await using var three = new PortcullisFactory(database, settings);
        _ = one.Server;
        _ = two.Server;
        _ = three.Server;

        var ws = await SharedStoreWorkspace.CreateLiveAsync(one, "recovery", receiver.BaseUrl);
        var created = ws.Created;
        var agent = ws.Agent(one);
        var run = await agent.PostJson("/api/ingest/run-start", new { triggerType = "recovery" });
        var runId = (await run.Json()).GetProperty("runId").GetString();

        receiver.Delay(TimeSpan.FromSeconds(1));
        var first = Enumerable.Range(0, Actions).Select(i => agent.PostJson("/api/actions/request",
            new { runId, actionType = "http.request", payload = new { path = $"/race/{i}", method = "PUT" }, idempotencyKey = $"race-{i}" })).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (receiver.Requests.Count < Actions && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        // The holder "dies": every instance now sees expired jobs of a foreign owner, all at once.
        await one.Services.GetRequiredService<Database>().WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE jobs SET lease_owner = 'ins_dead', next_at = 0 WHERE workspace_id = @WorkspaceId", new { created.WorkspaceId }, t));
        receiver.Delay(TimeSpan.Zero);
        await Task.WhenAll(first);
        await using var c = await one.Services.GetRequiredService<Database>().OpenAsync();
        deadline = DateTime.UtcNow.AddSeconds(20);
        while (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE workspace_id = @WorkspaceId AND status <> 'done'", new { created.WorkspaceId }) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "jobs were not all completed");
            await Task.Delay(50);
        }

        for (var i = 0; i < Actions; i++)
        {
            Assert.Equal(2, receiver.To($"/race/{i}").Count);
        }

        Assert.Equal(Actions, await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM jobs WHERE workspace_id = @WorkspaceId AND attempts = 2", new { created.WorkspaceId }));
        Assert.Equal(Actions, await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM executions WHERE workspace_id = @WorkspaceId AND status = 'executed'", new { created.WorkspaceId }));
    }

}
