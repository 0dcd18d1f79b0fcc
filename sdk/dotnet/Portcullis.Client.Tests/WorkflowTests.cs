using System.Text.Json;

namespace Portcullis.Client.Tests;

public sealed class WorkflowTests : ClientTestBase
{
    [Fact]
    public async Task RunWorkflow_posts_the_input_with_a_generated_idempotency_key_and_reads_the_202()
    {
        Server.Reply(Fixtures.Json(WorkflowFixtures.Started(), 202));

        var started = await Client.RunWorkflowAsync("wf_1/x", new { OrderId = "ord_1" });

        Assert.Equal(new WorkflowRunStarted("wfr_1", "run_1", "running"), started);
        var request = Assert.Single(Server.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/workflows/wf_1%2Fx/runs", request.PathAndQuery);
        Assert.Equal($"Bearer {Fixtures.AgentKey}", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        Assert.True(Guid.TryParse(request.Header("Idempotency-Key"), out _), request.Header("Idempotency-Key"));
        CallTests.AssertJson("""{"input":{"orderId":"ord_1"}}""", request.Body);
    }

    [Fact]
    public async Task RunWorkflow_without_input_sends_an_empty_object_and_retries_a_503_with_the_given_key()
    {
        Server.Reply(Fixtures.Unavailable, Fixtures.Json(WorkflowFixtures.Started(), 202));

        var started = await Client.RunWorkflowAsync("wf_1", idempotencyKey: "order-ord_1");

        Assert.Equal("wfr_1", started.WorkflowRunId);
        Assert.Equal(2, Server.Received.Count);
        Assert.All(Server.Received, request =>
        {
            Assert.Equal("order-ord_1", request.Header("Idempotency-Key"));
            CallTests.AssertJson("{}", request.Body);
        });
    }

    [Fact]
    public async Task RunWorkflow_on_an_unknown_workflow_throws_the_404_with_its_code()
    {
        Server.Reply(Fixtures.Json(Fixtures.Problem(404, "not_found", "no such workflow"), 404));

        var error = await Assert.ThrowsAsync<PortcullisException>(() => Client.RunWorkflowAsync("wf_nope"));

        Assert.Equal(404, error.Status);
        Assert.Equal("not_found", error.Code);
        Assert.Single(Server.Received);
    }

    [Fact]
    public async Task GetWorkflowRun_long_polls_with_waitSeconds_and_reads_the_whole_run_with_its_steps()
    {
        Server.Reply(Fixtures.Json(WorkflowFixtures.Run("failed")));

        var run = await Client.GetWorkflowRunAsync("wfr_1", TimeSpan.FromSeconds(30));

        var request = Assert.Single(Server.Received);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/workflow-runs/wfr_1?waitSeconds=30", request.PathAndQuery);
        Assert.Null(request.Body);
        Assert.Equal(("wfr_1", "wf_1", "Refund flow", 3, "run_1", "failed"), (run.Id, run.WorkflowId, run.WorkflowName, run.Version, run.RunId, run.Status));
        Assert.Equal("ord_1", run.Input.GetProperty("orderId").GetString());
        Assert.Equal(new WorkflowError { Code = "template_unresolved", Message = "no `steps.lookup.output.charge`", StepId = "refund" }, run.Error);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 10, 1, 0, TimeSpan.Zero), run.CompletedAt);
        Assert.Collection(
            run.Steps,
            lookup =>
            {
                Assert.Equal(("lookup", "step lookup", "http.request", "completed", "allow"), (lookup.Id, lookup.Name, lookup.ActionType, lookup.Status, lookup.Decision));
                Assert.Equal(200, lookup.Output?.GetProperty("status").GetInt32());
                Assert.Null(lookup.ApprovalRequestId);
            },
            refund =>
            {
                Assert.True(refund.IsAwaitingApproval);
                Assert.Equal(("act_2", "require_approval", "apr_1"), (refund.ActionRequestId, refund.Decision, refund.ApprovalRequestId));
                Assert.Null(refund.Output);
                Assert.Null(refund.CompletedAt);
                Assert.Equal(JsonValueKind.Object, refund.Input?.ValueKind);
            });
    }

    [Fact]
    public async Task GetWorkflowRun_without_a_wait_sends_no_query_and_refuses_a_wait_over_60_seconds()
    {
        Server.Reply(Fixtures.Json(WorkflowFixtures.Run("completed")));

        Assert.Equal("completed", (await Client.GetWorkflowRunAsync("wfr_1")).Status);
        Assert.Equal("/api/workflow-runs/wfr_1", Assert.Single(Server.Received).PathAndQuery);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client.GetWorkflowRunAsync("wfr_1", TimeSpan.FromSeconds(61)));
    }

    [Fact]
    public async Task WaitForWorkflowRun_long_polls_while_running_and_ends_on_completed()
    {
        Server.Reply(Fixtures.Json(WorkflowFixtures.Run("running")), Fixtures.Json(WorkflowFixtures.Run("completed")));

        var run = await Client.WaitForWorkflowRunAsync("wfr_1", TimeSpan.FromMilliseconds(2999), TimeSpan.FromMilliseconds(10));

        Assert.Equal("completed", run.Status);
        Assert.Equal("/api/workflow-runs/wfr_1?waitSeconds=2", Server.Received[0].PathAndQuery);
        Assert.Matches(@"^/api/workflow-runs/wfr_1\?waitSeconds=[12]$", Server.Received[1].PathAndQuery);
    }

    [Fact]
    public async Task WaitForWorkflowRun_ends_on_awaiting_approval_asking_at_most_60_seconds_per_poll()
    {
        Server.Reply(Fixtures.Json(WorkflowFixtures.Run()));

        var run = await Client.WaitForWorkflowRunAsync("wfr_1", TimeSpan.FromMinutes(10));

        Assert.True(run.IsAwaitingApproval);
        Assert.Equal("apr_1", run.Steps.Single(s => s.IsAwaitingApproval).ApprovalRequestId);
        Assert.Equal("/api/workflow-runs/wfr_1?waitSeconds=60", Assert.Single(Server.Received).PathAndQuery);
    }

    [Fact]
    public async Task A_state_added_later_reads_as_itself_and_ends_the_wait()
    {
        Server.Reply(Fixtures.Json(WorkflowFixtures.Run("paused")));

        Assert.Equal("paused", (await Client.WaitForWorkflowRunAsync("wfr_1", TimeSpan.FromSeconds(5))).Status);
    }

    [Fact]
    public async Task A_held_long_poll_does_not_count_against_the_request_time_out()
    {
        using var client = ShortTimeoutClient();
        Server.Reply(Fixtures.Json(WorkflowFixtures.Run("completed")) with { Delay = TimeSpan.FromMilliseconds(1200) });

        var run = await client.WaitForWorkflowRunAsync("wfr_1", TimeSpan.FromSeconds(4.5));

        Assert.Equal("completed", run.Status);
        Assert.Single(Server.Received);
    }

    [Fact]
    public async Task CancelWorkflowRun_posts_to_the_cancel_path_without_a_body()
    {
        Server.Reply(Fixtures.Json(WorkflowFixtures.Run("cancelled")));

        var run = await Client.CancelWorkflowRunAsync("wfr_1");

        Assert.Equal("cancelled", run.Status);
        var request = Assert.Single(Server.Received);
        Assert.Equal(("POST", "/api/workflow-runs/wfr_1/cancel"), (request.Method, request.PathAndQuery));
        Assert.Null(request.Body);
    }

    [Fact]
    public async Task CancelWorkflowRun_on_a_settled_run_throws_the_409_not_cancellable()
    {
        Server.Reply(Fixtures.Json(Fixtures.Problem(409, "not_cancellable", "the run has completed"), 409));

        var error = await Assert.ThrowsAsync<PortcullisException>(() => Client.CancelWorkflowRunAsync("wfr_1"));

        Assert.True(error.IsConflict);
        Assert.Equal("not_cancellable", error.Code);
    }
}
