using Portcullis.Sdk.Tests.Infrastructure;

namespace Portcullis.Sdk.Tests.Flows;

/// <summary>The refund agent sample of each SDK against the real server, for the decisions that need no human.</summary>
[Collection(SdkCollection.Name)]
public sealed class RefundFlowTests(SdkFixture fixture)
{
    [Theory]
    [MemberData(nameof(Samples.All), MemberType = typeof(Samples))]
    public async Task An_allowed_refund_is_executed_logged_and_the_run_completed(SdkLanguage sdk)
    {
        var (result, run, policyId) = await RunWithPolicyAsync(sdk, "allow");

        result.AssertSummary(0, "allow", "completed");
        run.AssertInOrder("run.started", "context.retrieved", "intent.classified", "action.requested", "policy.decision",
            "action.executed", "action.completed", "ticket.resolved", "run.ended");
        run.AssertAgentEvents("context.retrieved", "intent.classified", "action.completed", "ticket.resolved");
        run.AssertAbsent("alert.raised", "approval.requested");
        run.AssertDecidedBy("allow", policyId);
        run.AssertAgentLoggedTheExecution("action.completed", "action.executed");
        run.AssertEnded("completed");
    }

    [Theory]
    [MemberData(nameof(Samples.All), MemberType = typeof(Samples))]
    public async Task A_refund_allowed_with_an_alert_raises_the_alert_and_is_executed(SdkLanguage sdk)
    {
        var (result, run, policyId) = await RunWithPolicyAsync(sdk, "allow_with_alert");

        result.AssertSummary(0, "allow_with_alert", "completed");
        Assert.Contains("allowed with an alert: the team has been notified", result.Lines);
        run.AssertInOrder("run.started", "context.retrieved", "intent.classified", "action.requested", "policy.decision", "alert.raised",
            "action.executed", "action.completed", "ticket.resolved", "run.ended");
        run.AssertAgentEvents("context.retrieved", "intent.classified", "action.completed", "ticket.resolved");
        run.AssertDecidedBy("allow_with_alert", policyId);
        run.AssertAgentLoggedTheExecution("action.completed", "action.executed");
        run.AssertEnded("completed");
    }

    [Theory]
    [MemberData(nameof(Samples.All), MemberType = typeof(Samples))]
    public async Task A_blocked_refund_is_never_executed_and_the_run_ends_blocked(SdkLanguage sdk)
    {
        var (result, run, policyId) = await RunWithPolicyAsync(sdk, "block");

        result.AssertSummary(0, "block", "blocked");
        run.AssertInOrder("run.started", "context.retrieved", "intent.classified", "action.requested", "policy.decision",
            "action.blocked", "ticket.escalated", "run.ended");
        run.AssertAgentEvents("context.retrieved", "intent.classified", "action.blocked", "ticket.escalated");
        run.AssertAbsent("action.executed", "action.failed", "alert.raised");
        run.AssertDecidedBy("block", policyId);
        Assert.Equal($"refunds over $50 on {run.Single("run.started", "system").Payload.GetProperty("externalRef").GetString()}: block",
            run.Single("action.blocked", "agent").Payload.GetProperty("reason").GetString());
        run.AssertEnded("blocked");
    }

    private async Task<(SampleResult Result, RunView Run, string PolicyId)> RunWithPolicyAsync(SdkLanguage sdk, string decision)
    {
        var ticket = SdkFixture.NewTicket();
        var policyId = await fixture.Owner.CreateRefundPolicyAsync(decision, ticket);
        try
        {
            var result = await fixture.RunSampleAsync(sdk, ticket);
            var runId = result.SummaryString("runId") ?? throw new InvalidOperationException($"the sample opened no run:\n{result.Output}");
            return (result, await fixture.Owner.RunAsync(runId), policyId);
        }
        finally
        {
            await fixture.Owner.DeletePolicyAsync(policyId);
        }
    }
}
