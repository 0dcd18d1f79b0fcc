using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>
/// Two instances over one PostgreSQL share 200 workflow runs: each run waits for an approval, the approvals are decided on
/// both instances at once, and whichever instance claims a woken run carries it on. Every step executes exactly once.
/// </summary>
public sealed class WorkflowScaleOutTests
{
    private const int Runs = 200;

    [Fact]
    public async Task Two_instances_share_200_workflow_runs_and_every_step_executes_exactly_once()
    {
        await using var receiver = await FakeHttp.StartAsync((_, _) => (200, """{"received":true}"""));
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        var settings = new Dictionary<string, string?>
        {
            ["Portcullis:Jobs:PollIntervalMs"] = "20",
            ["Portcullis:RateLimits:AgentRequestsPerSecond"] = "5000",
            ["Portcullis:Connectors:RatePerSecondPerCredential"] = "10000"
        };
        await using var one = new PortcullisFactory(database, settings);
        await using var two = new PortcullisFactory(database, settings);
        _ = one.Server;
        _ = two.Server;

        var ws = await SharedStoreWorkspace.CreateLiveAsync(one, "scale-out", receiver.BaseUrl);
        var created = ws.Created;
        var owner = ws.Owner(one);
        await (await owner.PatchJson("/api/workspace/settings", new { forbidSelfApproval = false })).AssertStatus(HttpStatusCode.OK);
        await (await owner.PostJson("/api/policies", new { name = "gate", condition = "workflow.step = gate", decision = "require_approval" }))
            .AssertStatus(HttpStatusCode.Created);
        var workflow = await owner.PostJson($"/api/agents/{created.AgentId}/workflows", new
        {
            name = "ship",
            steps = new object[]
            {
                new { id = "gate", actionType = "review.gate", input = new { n = "{{trigger.input.n}}" } },
                new { id = "ship", actionType = "http.request", input = new { path = "/ship/{{trigger.input.n}}", method = "POST" } },
                new { id = "tell", actionType = "http.request", input = new { path = "/tell/{{trigger.input.n}}", method = "POST" } },
            },
        });
        await workflow.AssertStatus(HttpStatusCode.Created);
        var workflowId = (await workflow.Json()).GetProperty("id").GetString();

        // Started on both instances, then every approval decided on both at once: the woken runs are claimed by either.
        var agents = new[] { ws.Agent(one), ws.Agent(two) };
        var runIds = await Task.WhenAll(Enumerable.Range(0, Runs).Select(async n =>
            (await (await agents[n % 2].PostJson($"/api/workflows/{workflowId}/runs", new { input = new { n } })).Json()).GetProperty("workflowRunId").GetString()!));
        var owners = new[] { owner, ws.Owner(two) };
        await Parallel.ForEachAsync(Enumerable.Range(0, Runs), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
        {
            var approvalId = await WaitForApprovalIdAsync(agents[n % 2], runIds[n]);
            await (await owners[(n + 1) % 2].ApproveAsync(approvalId)).AssertStatus(HttpStatusCode.OK);
        });

        await using var c = await one.Services.GetRequiredService<Database>().OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM workflow_runs WHERE workflow_id = @workflowId AND status = 'completed'", new { workflowId }) < Runs)
        {
            if (DateTime.UtcNow > deadline)
            {
                var states = await c.QueryAsync<(string Status, string Steps, string? Job, string? Owner, long? NextAt)>(
                    """
                    SELECT r.status, (SELECT string_agg(s.status || ':' || COALESCE(a.status, '-') || ':' || COALESCE(s.error, ''), ',' ORDER BY s.position) FROM workflow_run_steps s
                                      LEFT JOIN action_requests a ON a.id = s.action_request_id WHERE s.workflow_run_id = r.id),
                           j.status, j.lease_owner, j.next_at
                    FROM workflow_runs r LEFT JOIN jobs j ON j.kind = 'workflow' AND j.subject_id = r.id
                    WHERE r.workflow_id = @workflowId AND r.status <> 'completed' LIMIT 5
                    """, new { workflowId });
                Assert.Fail("not every workflow run completed within 60 s: " + string.Join(" | ", states));
            }

            await Task.Delay(100);
        }

        for (var n = 0; n < Runs; n++)
        {
            Assert.Single(receiver.To($"/ship/{n}"));
            Assert.Single(receiver.To($"/tell/{n}"));
        }

        Assert.Equal(Runs * 3, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM action_requests WHERE workspace_id = @WorkspaceId AND source = 'workflow'", created));
        Assert.Equal(Runs * 2, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM executions WHERE workspace_id = @WorkspaceId AND status = 'executed'", created));
        Assert.Equal(2, await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(DISTINCT lease_owner) FROM jobs WHERE workspace_id = @WorkspaceId AND kind = 'workflow'", created));
    }

    private static async Task<string> WaitForApprovalIdAsync(HttpClient agent, string workflowRunId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = await (await agent.GetAsync($"/api/workflow-runs/{workflowRunId}?waitSeconds=5")).Json();
            var gate = run.GetProperty("steps")[0];
            if (gate.GetProperty("approvalRequestId").GetString() is { } id)
            {
                return id;
            }

            Assert.True(DateTime.UtcNow < deadline, $"workflow run {workflowRunId} never asked for approval: {run}");
            await Task.Delay(50);
        }
    }
}
