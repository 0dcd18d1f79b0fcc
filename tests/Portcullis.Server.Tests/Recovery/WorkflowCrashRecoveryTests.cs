using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using static Portcullis.Server.Tests.Recovery.CrashRecoveryTests;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>
/// The real server, live mode, killed with SIGKILL while workflows are mid-step, restarted on the same store: every workflow
/// run carries on from where it stopped and completes, and no step executes twice.
/// </summary>
public sealed class WorkflowCrashRecoveryTests
{
    private const int Runs = 6;

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Killed_mid_workflow_every_run_resumes_and_completes_with_each_step_executed_once(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var receiver = await ReceiverAsync(holdFor: TimeSpan.FromSeconds(2));
        var environment = Environment(db, receiver.BaseUrl);
        var workDir = Directory.CreateTempSubdirectory("portcullis-wfcrash-").FullName;

        var runIds = new List<string>();
        await using (var first = await PortcullisProcess.StartAsync(workDir, environment))
        {
            var (agent, _) = await PrepareLiveWorkspaceAsync(first.BaseUrl, receiver.BaseUrl);
            var workflowId = await CreateWorkflowAsync(first.BaseUrl);
            for (var i = 0; i < Runs; i++)
            {
                var started = await agent.PostJson($"/api/workflows/{workflowId}/runs", new { input = new { n = i } });
                await started.AssertStatus(HttpStatusCode.Accepted);
                runIds.Add((await started.Json()).GetProperty("workflowRunId").GetString()!);
            }

            // Every run's first call is held by the receiver: the server dies with all of them in flight.
            await WaitUntilAsync(() => receiver.Requests.Count >= Runs, TimeSpan.FromSeconds(20));
            await first.KillAsync();
        }

        receiver.Delay(TimeSpan.Zero);
        await using var second = await PortcullisProcess.StartAsync(workDir, environment);
        using var agentAgain = Client(second.BaseUrl, AgentKey);
        var runs = new List<JsonElement>();
        foreach (var id in runIds)
        {
            runs.Add(await SettledAsync(agentAgain, id, TimeSpan.FromSeconds(30)));
        }

        for (var i = 0; i < Runs; i++)
        {
            Assert.Equal("completed", runs[i].GetProperty("status").GetString());
            // The step in flight at the kill was re-sent (it is safe: the receiver de-duplicates by its idempotency key);
            // the steps after it ran once; Slack, which cannot be re-sent safely, was never sent twice.
            Assert.Single(receiver.To($"/wf/{i}/first").Select(r => r.Header("Idempotency-Key")).Distinct());
            Assert.Single(receiver.To("/api/chat.postMessage"), r => r.Body.Contains($"run {i} done", StringComparison.Ordinal));
            Assert.Single(receiver.To($"/wf/{i}/last"));
        }

        Assert.Equal(0, await CountExecutingAsync(db));
    }

    private static async Task<string> CreateWorkflowAsync(string baseUrl)
    {
        using var admin = Client(baseUrl, AdminToken);
        var agents = await (await admin.GetAsync("/api/agents")).Json();
        var agentId = (agents.ValueKind == JsonValueKind.Array ? agents : agents.GetProperty("items"))[0].GetProperty("id").GetString();
        var created = await admin.PostJson($"/api/agents/{agentId}/workflows", new
        {
            name = "crash test",
            steps = new object[]
            {
                new { id = "first", actionType = "http.request", input = new { path = "/wf/{{trigger.input.n}}/first", method = "POST", body = new { n = "{{trigger.input.n}}" } } },
                new { id = "tell", actionType = "slack.post_message", input = new { channel = "#ops", text = "run {{trigger.input.n}} done" } },
                new { id = "last", actionType = "http.request", input = new { path = "/wf/{{trigger.input.n}}/last", method = "POST" } },
            },
        });
        await created.AssertStatus(HttpStatusCode.Created);
        return (await created.Json()).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> SettledAsync(HttpClient agent, string workflowRunId, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var run = await (await agent.GetAsync($"/api/workflow-runs/{workflowRunId}?waitSeconds=5")).Json();
            if (run.GetProperty("status").GetString() != "running" || DateTime.UtcNow > deadline)
            {
                return run;
            }
        }
    }
}
