using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Workflows;

/// <summary>Running workflows in demo mode: every step through the engine, with templates, conditions and every decision.</summary>
public abstract class WorkflowRunTests(ServerFixture server)
{
    [Fact]
    public async Task A_run_executes_each_step_with_typed_templates_and_skips_a_step_whose_when_is_false()
    {
        var ws = await server.NewWorkspaceAsync();
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        var runId = await ws.StartWorkflowAsync(workflowId, new { charge = "ch_1", amount = 1200 });
        var run = await ws.WaitWorkflowRunAsync(runId);

        Assert.Equal("completed", run.Str("status"));
        Assert.Equal(1, run.GetProperty("version").GetInt32());
        var refund = run.Step("refund");
        Assert.Equal(("completed", "allow"), (refund.Str("status"), refund.Str("decision")));
        Assert.Equal(JsonValueKind.Number, refund.GetProperty("input").GetProperty("amount").ValueKind);
        var refundId = refund.GetProperty("output").GetProperty("id").GetString()!;
        var note = run.Step("note");
        Assert.Equal(refundId, note.GetProperty("input").Str("refund"));
        Assert.Equal($"Refunded {refundId} (1200 cents) in {run.Str("runId")}", note.GetProperty("input").Str("text"));
        Assert.Equal("skipped", run.Step("notify").Str("status"));
        Assert.Equal(JsonValueKind.Null, run.Step("notify").GetProperty("actionRequestId").ValueKind);

        var portcullisRun = (await ws.RunAsync(run.Str("runId"))).GetProperty("run");
        Assert.Equal(("workflow", "completed"), (portcullisRun.Str("triggerType"), portcullisRun.Str("status")));
        var types = await ws.TimelineTypesAsync(run.Str("runId"));
        Assert.Equal(2, types.Count(t => t == "action.requested"));
        Assert.Contains("workflow.started", types);
        Assert.Contains("workflow.completed", types);
    }

    [Fact]
    public async Task Steps_are_action_requests_with_source_workflow_that_policies_read_by_workflow_fields()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("no slack from refunds", "source = workflow AND workflow.name = 'Refund flow' AND workflow.step = notify", "block", "not in this flow");
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        var run = await ws.WaitWorkflowRunAsync(await ws.StartWorkflowAsync(workflowId, new { charge = "ch_1", amount = 9000 }));

        Assert.Equal("blocked", run.Str("status"));
        var notify = run.Step("notify");
        Assert.Equal(("blocked", "block"), (notify.Str("status"), notify.Str("decision")));
        Assert.Equal(("blocked", "notify"), (run.GetProperty("error").Str("code"), run.GetProperty("error").Str("stepId")));
        Assert.Equal("completed", run.Step("refund").Str("status"));
        Assert.Equal("blocked", (await ws.RunAsync(run.Str("runId"))).GetProperty("run").Str("status"));
    }

    [Fact]
    public async Task A_held_step_waits_for_its_approval_and_the_run_goes_on_when_approved()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("big refunds", "action_type = refund.create AND payload.amount > 5000", "require_approval");
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        var runId = await ws.StartWorkflowAsync(workflowId, new { charge = "ch_1", amount = 9000 });
        var waiting = await ws.WaitWorkflowRunAsync(runId);
        Assert.Equal("awaiting_approval", waiting.Str("status"));
        var refund = waiting.Step("refund");
        Assert.Equal(("awaiting_approval", "require_approval"), (refund.Str("status"), refund.Str("decision")));
        Assert.Equal("pending", waiting.Step("note").Str("status"));

        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));
        await (await approver.ApproveAsync(refund.Str("approvalRequestId"), "fine")).AssertStatus(HttpStatusCode.OK);
        var done = await PollUntilAsync(ws, runId, s => s is "completed" or "failed");

        Assert.Equal("completed", done.Str("status"));
        Assert.Equal("completed", done.Step("refund").Str("status"));
        Assert.Equal("completed", done.Step("notify").Str("status"));
    }

    [Fact]
    public async Task A_rejected_step_fails_the_run_and_skips_the_rest()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("all refunds", "action_type = refund.create", "require_approval");
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        var runId = await ws.StartWorkflowAsync(workflowId, new { charge = "ch_1", amount = 100 });
        var approvalId = (await ws.WaitWorkflowRunAsync(runId)).Step("refund").Str("approvalRequestId");

        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));
        await (await approver.RejectAsync(approvalId, "no")).AssertStatus(HttpStatusCode.OK);
        var done = await PollUntilAsync(ws, runId, s => s is "completed" or "failed");

        Assert.Equal("failed", done.Str("status"));
        Assert.Equal(("rejected", "approval_rejected"), (done.Step("refund").Str("status"), done.Step("refund").GetProperty("error").Str("code")));
        Assert.Equal(["skipped", "skipped"], new[] { done.Step("note").Str("status"), done.Step("notify").Str("status") });
    }

    [Fact]
    public async Task A_template_that_resolves_to_nothing_fails_its_step_naming_the_path()
    {
        var ws = await server.NewWorkspaceAsync();
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        var run = await ws.WaitWorkflowRunAsync(await ws.StartWorkflowAsync(workflowId, new { amount = 10 }));

        Assert.Equal("failed", run.Str("status"));
        var error = run.Step("refund").GetProperty("error");
        Assert.Equal("template_unresolved", error.Str("code"));
        Assert.Contains("trigger.input.charge", error.Str("message"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, run.Step("refund").GetProperty("actionRequestId").ValueKind);
        Assert.Equal("failed", (await ws.RunAsync(run.Str("runId"))).GetProperty("run").Str("status"));
    }

    [Fact]
    public async Task Bad_input_unknown_ids_other_agents_and_replays()
    {
        var ws = await server.NewWorkspaceAsync();
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        await (await ws.Agent().PostJson($"/api/workflows/{workflowId}/runs", new { input = "not an object" })).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        await (await ws.Agent().PostRaw($"/api/workflows/{workflowId}/runs", "[1]")).AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
        await (await ws.Agent().PostJson("/api/workflows/wf_nope/runs", new { input = new { } })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await ws.Agent().GetAsync("/api/workflow-runs/wfr_nope")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await ws.Agent().GetAsync("/api/workflow-runs/wfr_nope?waitSeconds=61")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");

        var first = await ws.Agent().SendAsync(Keyed($"/api/workflows/{workflowId}/runs", "start-1"));
        var again = await ws.Agent().SendAsync(Keyed($"/api/workflows/{workflowId}/runs", "start-1"));
        Assert.Equal((await first.Json()).Str("workflowRunId"), (await again.Json()).Str("workflowRunId"));

        var other = await server.NewWorkspaceAsync();
        var runId = await ws.StartWorkflowAsync(workflowId, new { charge = "ch_1", amount = 5 });
        await (await other.Agent().GetAsync($"/api/workflow-runs/{runId}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await other.Owner().PostAsync($"/api/workflow-runs/{runId}/cancel", null)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        var list = (await (await ws.Owner().GetAsync($"/api/workflows/{workflowId}/runs?limit=2")).Json());
        Assert.Equal(2, list.GetProperty("data").GetArrayLength());
        var next = list.Str("nextCursor");
        var rest = (await (await ws.Owner().GetAsync($"/api/workflows/{workflowId}/runs?cursor={next}")).Json()).GetProperty("data");
        Assert.DoesNotContain(rest.EnumerateArray(), r => list.GetProperty("data").EnumerateArray().Any(x => x.Str("id") == r.Str("id")));
    }

    [Fact]
    public async Task A_waiting_run_is_cancelled_once()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("all refunds", "action_type = refund.create", "require_approval");
        var workflowId = (await ws.CreateWorkflowAsync(WorkflowBuilders.RefundFlow())).Str("id");
        var runId = await ws.StartWorkflowAsync(workflowId, new { charge = "ch_1", amount = 100 });
        await ws.WaitWorkflowRunAsync(runId);

        var cancelled = await ws.Agent().PostAsync($"/api/workflow-runs/{runId}/cancel", null);
        await cancelled.AssertStatus(HttpStatusCode.OK);
        var run = await cancelled.Json();
        Assert.Equal(("cancelled", "cancelled"), (run.Str("status"), run.GetProperty("error").Str("code")));
        Assert.All(run.GetProperty("steps").EnumerateArray(), s => Assert.Equal("skipped", s.Str("status")));
        await (await ws.Agent().PostAsync($"/api/workflow-runs/{runId}/cancel", null)).AssertProblem(HttpStatusCode.Conflict, "not_cancellable");
        Assert.Equal("failed", (await ws.RunAsync(run.Str("runId"))).GetProperty("run").Str("status"));
    }

    private static HttpRequestMessage Keyed(string path, string key) => new(HttpMethod.Post, path)
    {
        Content = JsonContent.Create(new { input = new { charge = "ch_1", amount = 5 } }),
        Headers = { { "Idempotency-Key", key } },
    };

    /// <summary>After an approval the worker picks the run up again (its poll is half a second): wait for it.</summary>
    internal static async Task<JsonElement> PollUntilAsync(TestWorkspace ws, string runId, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var run = await (await ws.Agent().GetAsync($"/api/workflow-runs/{runId}?waitSeconds=2")).Json();
            if (done(run.Str("status")) || DateTime.UtcNow > deadline)
            {
                return run;
            }

            await Task.Delay(100);
        }
    }
}

public sealed class WorkflowRunSqliteTests(SqliteServer s) : WorkflowRunTests(s), IClassFixture<SqliteServer>;

public sealed class WorkflowRunPostgresTests(PostgresServer s) : WorkflowRunTests(s), IClassFixture<PostgresServer>;
