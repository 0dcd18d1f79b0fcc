using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Scaling;

/// <summary>
/// The seeded workspace of a <see cref="Cluster"/>, live, with a webhook and a Slack credential pointing at one receiver,
/// Slack messages held for approval, two approvers signed in on different instances, and a one-step workflow; and the
/// kinds of load the three-instance test runs at once, each spread over the instances.
/// </summary>
public sealed record ClusterLoad(Cluster Cluster, string ReceiverUrl, string WorkflowId, string[] ApproverTokens)
{
    public static async Task<ClusterLoad> PrepareAsync(Cluster cluster, string receiverUrl)
    {
        var (agent, _) = await Recovery.CrashRecoveryTests.PrepareLiveWorkspaceAsync(cluster.Instances[0].BaseUrl, receiverUrl);
        agent.Dispose();
        using var admin = cluster.Client(0, Cluster.AdminToken);
        await (await admin.PostJson("/api/policies", new { name = "hold messages", condition = "action_type = slack.post_message", decision = "require_approval" }))
            .AssertStatus(HttpStatusCode.Created);
        var agents = await (await admin.GetAsync("/api/agents")).Json();
        var agentId = (agents.ValueKind == JsonValueKind.Array ? agents : agents.GetProperty("items"))[0].GetProperty("id").GetString();
        var workflow = await admin.PostJson($"/api/agents/{agentId}/workflows", new
        {
            name = "notify",
            steps = new object[] { new { id = "tell", actionType = "http.request", input = new { path = "/wf/{{trigger.input.n}}", method = "POST" } } },
        });
        await workflow.AssertStatus(HttpStatusCode.Created);

        var tokens = new string[2];
        for (var i = 0; i < tokens.Length; i++)
        {
            // Signed up through one instance, signed in on another: member tokens hold on every instance (shared pepper).
            var email = $"approver-{i}@cluster.example";
            using var anonymous = cluster.Client(i + 1, "none");
            anonymous.DefaultRequestHeaders.Authorization = null;
            await admin.AddMemberAsync(anonymous, email, "approver", $"approver {i}");
            tokens[i] = (await (await anonymous.PostJson("/api/auth/login", new { email, password = "a long enough password" })).Json()).GetProperty("token").GetString()!;
        }

        return new ClusterLoad(cluster, receiverUrl, (await workflow.Json()).GetProperty("id").GetString()!, tokens);
    }

    private HttpClient Agent(int n) => Cluster.Client(n, Cluster.AgentKey);

    private async Task<string> StartRunAsync(int n)
    {
        var run = await Agent(n).PostJson("/api/ingest/run-start", new { triggerType = "cluster-load" });
        await run.AssertStatus(HttpStatusCode.Created);
        return (await run.Json()).GetProperty("runId").GetString()!;
    }

    /// <summary>Each allowed call sent to two instances at once under one idempotency key: both answer, one executes.</summary>
    public async Task RequestActionsTwiceAsync(int count)
    {
        var runId = await StartRunAsync(0);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var body = new { runId, actionType = "http.request", payload = new { path = $"/act/{i}", method = "POST", body = new { i } }, idempotencyKey = $"act-{i}" };
            var answers = await Task.WhenAll(Agent(i).PostJson("/api/actions/request", body), Agent(i + 1).PostJson("/api/actions/request", body));
            foreach (var answer in answers)
            {
                await answer.AssertStatus(HttpStatusCode.OK);
                Assert.Equal("allow", (await answer.Json()).GetProperty("decision").GetString());
            }
        });
    }

    /// <summary>Each held message approved by two approvers on two instances at the same moment; the statuses they got.</summary>
    public async Task<HttpStatusCode[]> DecideApprovalsOnTwoInstancesAsync(int count)
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var runId = await StartRunAsync(i);
            var held = await Agent(i).PostJson("/api/actions/request", new
            {
                runId, actionType = "slack.post_message", payload = new { channel = "#ops", text = $"approved {i}" }, callbackUrl = $"{ReceiverUrl}/cb/{i}",
            });
            await held.AssertStatus(HttpStatusCode.OK);
            var approvalId = (await held.Json()).GetProperty("approvalRequestId").GetString()!;
            var decided = await Task.WhenAll(
                Cluster.Client(i + 1, ApproverTokens[0]).ApproveAsync(approvalId),
                Cluster.Client(i + 2, ApproverTokens[1]).ApproveAsync(approvalId));
            return decided.Select(d => d.StatusCode);
        }));
        return [.. statuses.SelectMany(s => s)];
    }

    /// <summary>Workflow runs started on one instance and long-polled to completion on the next.</summary>
    public async Task RunWorkflowsAsync(int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async n =>
        {
            var started = await Agent(n).PostJson($"/api/workflows/{WorkflowId}/runs", new { input = new { n } });
            var workflowRunId = (await started.Json()).GetProperty("workflowRunId").GetString()!;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            string? status;
            do
            {
                var run = await (await Agent(n + 1).GetAsync($"/api/workflow-runs/{workflowRunId}?waitSeconds=30")).Json();
                status = run.GetProperty("status").GetString();
                Assert.True(DateTime.UtcNow < deadline, $"workflow run {workflowRunId} still {status}");
            }
            while (status == "running");
            Assert.Equal("completed", status);
        }));

    /// <summary>Batches of events for several runs, each batch to whichever instance comes next.</summary>
    public async Task IngestAsync(int runs, int batches, int perBatch) =>
        await Task.WhenAll(Enumerable.Range(0, runs).Select(async r =>
        {
            var runId = await StartRunAsync(r);
            for (var b = 0; b < batches; b++)
            {
                var events = Enumerable.Range(0, perBatch).Select(e => new { eventType = "load.tick", sequenceNo = 2 + (b * perBatch) + e, payload = new { b, e } });
                await (await Agent(r + b).PostJson("/api/ingest/events", new { runId, events })).AssertStatus(HttpStatusCode.OK);
            }
        }));
}
