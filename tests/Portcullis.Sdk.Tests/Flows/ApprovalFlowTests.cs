using System.Text.RegularExpressions;
using Portcullis.Sdk.Tests.Infrastructure;

namespace Portcullis.Sdk.Tests.Flows;

/// <summary>
/// The refund agent sample of each SDK waits for an approval (<c>waitForApproval</c>) while a member
/// decides it through the approvals API. These need the approvals endpoints (GET /api/approvals/{id},
/// POST …/approve and …/reject); without them they fail with a 404 on /api/approvals/….
/// </summary>
[Collection(SdkCollection.Name)]
public sealed partial class ApprovalFlowTests(SdkFixture fixture)
{
    [Theory]
    [MemberData(nameof(Samples.All), MemberType = typeof(Samples))]
    public async Task An_approved_refund_is_executed_once_approved_and_the_run_completed(SdkLanguage sdk)
    {
        var (result, run) = await RunAndDecideAsync(sdk, "approve");

        result.AssertSummary(0, "require_approval", "completed");
        // A newcomer sees what the agent waits for and where to decide it.
        Assert.Matches(@"waiting up to 60 s for a human: approve or reject it at http://\S+/approvals/apr_\S+", result.Output);
        Assert.Equal("approved", result.SummaryString("approvalStatus"));
        Assert.Equal("executed", result.SummaryString("executionStatus"));
        run.AssertInOrder("run.started", "context.retrieved", "intent.classified", "action.requested", "policy.decision",
            "approval.requested", "action.pending", "approval.decided", "action.executed", "action.completed", "ticket.resolved", "run.ended");
        run.AssertAgentEvents("context.retrieved", "intent.classified", "action.pending", "action.completed", "ticket.resolved");
        run.AssertAgentLoggedTheExecution("action.completed", "action.executed");
        run.AssertEnded("completed");
    }

    [Theory]
    [MemberData(nameof(Samples.All), MemberType = typeof(Samples))]
    public async Task A_rejected_refund_is_never_executed_and_the_run_ends_blocked(SdkLanguage sdk)
    {
        var (result, run) = await RunAndDecideAsync(sdk, "reject");

        result.AssertSummary(0, "require_approval", "blocked");
        Assert.Equal("rejected", result.SummaryString("approvalStatus"));
        run.AssertInOrder("run.started", "context.retrieved", "intent.classified", "action.requested", "policy.decision",
            "approval.requested", "action.pending", "approval.decided", "action.rejected", "ticket.escalated", "run.ended");
        run.AssertAgentEvents("context.retrieved", "intent.classified", "action.pending", "action.rejected", "ticket.escalated");
        run.AssertAbsent("action.executed", "action.failed");
        Assert.Equal("rejected", run.Single("action.rejected", "agent").Payload.GetProperty("status").GetString());
        run.AssertEnded("blocked");
    }

    private async Task<(SampleResult Result, RunView Run)> RunAndDecideAsync(SdkLanguage sdk, string verb)
    {
        var ticket = SdkFixture.NewTicket();
        var approver = await fixture.NewApproverAsync();
        var policyId = await fixture.Owner.CreateRefundPolicyAsync("require_approval", ticket);
        try
        {
            await using var sample = fixture.StartSample(sdk, ticket);
            // The sample prints the approval request's id as soon as the decision comes back, then waits on it.
            var approvalId = await sample.WaitForLineAsync(ApprovalRequested(), TimeSpan.FromSeconds(60));
            // Decide only once the agent has logged that it is waiting: otherwise, on a busy machine, the decision can
            // reach the timeline before the agent's own `action.pending`, and the order the flow asserts is a race.
            await sample.WaitForLineAsync(PendingLogged(), TimeSpan.FromSeconds(60));
            var pending = await new Management(fixture.WithBearer(LiveServer.AgentKey)).SendAsync(HttpMethod.Get, $"/api/approvals/{approvalId}");
            Assert.Equal("pending", pending.GetProperty("status").GetString());

            await approver.DecideAsync(approvalId, verb, verb == "approve" ? "refund is fine" : "needs a manager");

            var result = await sample.WaitForExitAsync(SdkFixture.SampleTimeout);
            var runId = result.SummaryString("runId") ?? throw new InvalidOperationException($"the sample opened no run:\n{result.Output}");
            return (result, await fixture.Owner.RunAsync(runId));
        }
        finally
        {
            await fixture.Owner.DeletePolicyAsync(policyId);
        }
    }

    [GeneratedRegex(@"^approval requested: (apr_\S+)$")]
    private static partial Regex ApprovalRequested();

    [GeneratedRegex(@"^logged (action\.pending) \(seq \d+\)$")]
    private static partial Regex PendingLogged();
}
