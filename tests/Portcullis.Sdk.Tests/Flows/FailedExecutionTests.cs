using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Sdk.Tests.Infrastructure;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Storage;

namespace Portcullis.Sdk.Tests.Flows;

/// <summary>
/// A connector that fails: a live-mode workspace whose agent has no Stripe credential. Each SDK decodes
/// <c>execution.error</c> as an object (code, message, provider status, provider request id).
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class FailedExecutionTests(SdkFixture fixture)
{
    private string? _ownerToken;

    [Theory]
    [MemberData(nameof(Samples.All), MemberType = typeof(Samples))]
    public async Task A_failed_execution_reaches_the_agent_with_its_error_and_the_run_ends_failed(SdkLanguage sdk)
    {
        var agentKey = await LiveWorkspaceAgentKeyAsync();
        await AssertTheServerRecordsAFailedExecutionAsync(agentKey);

        var result = await fixture.RunSampleAsync(sdk, SdkFixture.NewTicket(), agentKey);

        result.AssertSummary(0, "allow", "failed");
        Assert.Equal("failed", result.SummaryString("executionStatus"));
        Assert.Equal("connector_not_connected", result.SummaryString("executionError"));
        Assert.Contains(result.Lines, l => l.StartsWith("connector failed: connector_not_connected: no stripe credential", StringComparison.Ordinal));
        var run = RunView.From(await new Management(fixture.WithBearer(_ownerToken)).SendAsync(HttpMethod.Get, $"/api/runs/{result.SummaryString("runId")}"));
        run.AssertInOrder("action.requested", "policy.decision", "action.failed", "action.failed", "ticket.escalated", "run.ended");
        run.AssertAgentEvents("context.retrieved", "intent.classified", "action.failed", "ticket.escalated");
        run.AssertAgentLoggedTheExecution("action.failed", "action.failed");
        var error = run.Single("action.failed", "agent").Payload.GetProperty("execution").GetProperty("error");
        Assert.Equal("connector_not_connected", error.GetProperty("code").GetString());
        Assert.StartsWith("no stripe credential", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        run.AssertEnded("failed");
    }

    /// <summary>A workspace of its own in live mode, so the seeded demo workspace stays as it is.</summary>
    private async Task<string> LiveWorkspaceAgentKeyAsync()
    {
        var suffix = Guid.NewGuid().ToString("n");
        var agentKey = "pk_live_" + suffix + suffix[..8];
        _ownerToken = "pat_" + suffix + suffix[..8];
        var services = fixture.Server.Services;
        var provisioner = services.GetRequiredService<WorkspaceProvisioner>();
        await services.GetRequiredService<Database>().WriteAsync((c, t) => provisioner.CreateAsync(c, t, new WorkspaceProvisioner.Request(
            $"live-{suffix[..6]}", $"owner-{suffix[..10]}@sdk-tests.example", "sdk tests owner password", "live-agent",
            agentKey, _ownerToken, ConnectorMode: "live")));
        return agentKey;
    }

    // One plain request first: the server must answer a live action without a credential with a failed
    // execution. Should it fail instead, this says so at once, before three SDKs retry the same failure.
    private async Task AssertTheServerRecordsAFailedExecutionAsync(string agentKey)
    {
        using var agent = fixture.WithBearer(agentKey);
        var started = await agent.PostAsJsonAsync("/api/ingest/run-start", new { triggerType = "probe" });
        var runId = SdkFixture.Parse(await started.Content.ReadAsStringAsync()).GetProperty("runId").GetString();
        var answer = await agent.PostAsJsonAsync("/api/actions/request", new
        {
            runId,
            actionType = "refund.create",
            provider = "stripe",
            payload = new { charge = "ch_probe", amount = 100 },
        });
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, $"a live refund with no credential should be a failed execution; the server answered {(int)answer.StatusCode}: {text}");
        Assert.Equal("failed", SdkFixture.Parse(text).GetProperty("execution").GetProperty("status").GetString());
        await agent.PostAsJsonAsync("/api/ingest/run-end", new { runId, status = "failed" });
    }
}
