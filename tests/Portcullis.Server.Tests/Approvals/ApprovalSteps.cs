using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>The steps approval tests share, over plain clients so that two server instances can use them too.</summary>
public static class ApprovalSteps
{
    public const string RefundsNeedApproval = "action_type = refund.create";

    public sealed record Requested(string RunId, string ActionRequestId, string ApprovalId, JsonElement Answer);

    /// <summary>Adds a require_approval policy.</summary>
    public static async Task RequireApprovalAsync(HttpClient owner, string condition = RefundsNeedApproval, int approvalsRequired = 1)
    {
        var response = await owner.PostJson("/api/policies", new
        {
            name = $"needs approval {Guid.NewGuid():n}", condition, decision = "require_approval", reason = "a human checks refunds", approvalsRequired,
        });
        await response.AssertStatus(HttpStatusCode.Created);
    }

    /// <summary>Switches the workspace to live mode and links a Stripe credential (pointing at the fake) to the agent.</summary>
    public static async Task GoLiveAsync(HttpClient owner, string agentId)
    {
        await (await owner.PatchJson("/api/workspace/settings", new { connectorMode = "live" })).AssertStatus(HttpStatusCode.OK);
        var credential = await owner.PostJson("/api/credentials", new { provider = "stripe", name = "stripe test", secrets = new { apiKey = "sk_test_approvals0000000000" } });
        await credential.AssertStatus(HttpStatusCode.Created);
        var id = (await credential.Json()).GetProperty("id").GetString();
        await (await owner.PostJson($"/api/credentials/{id}/links", new { agentId })).AssertStatus(HttpStatusCode.NoContent);
    }

    /// <summary>Starts a run and requests a refund that the policies send to approval.</summary>
    public static async Task<Requested> RequestRefundAsync(HttpClient agent, long amount = 7999, string? callbackUrl = null)
    {
        var start = await agent.PostJson("/api/ingest/run-start", new { triggerType = "support-ticket" });
        await start.AssertStatus(HttpStatusCode.Created);
        var runId = (await start.Json()).GetProperty("runId").GetString()!;
        var response = await agent.PostJson("/api/actions/request", new
        {
            runId, actionType = "refund.create", provider = "stripe", resourceType = "charge", resourceId = "ch_3OabcEXAMPLE",
            payload = new { charge = "ch_3OabcEXAMPLE", amount, reason = "requested_by_customer" },
            evidence = new { confidence = 0.92, customerTier = "premium" },
            callbackUrl,
        });
        await response.AssertStatus(HttpStatusCode.OK);
        var answer = await response.Json();
        Assert.Equal("require_approval", answer.GetProperty("decision").GetString());
        return new(runId, answer.GetProperty("actionRequestId").GetString()!, answer.GetProperty("approvalRequestId").GetString()!, answer);
    }

    public static Task<HttpResponseMessage> ApproveAsync(this HttpClient member, string approvalId, string? comment = null) =>
        member.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { comment });

    public static Task<HttpResponseMessage> RejectAsync(this HttpClient member, string approvalId, string? comment = null) =>
        member.PostAsJsonAsync($"/api/approvals/{approvalId}/reject", new { comment });

    public static async Task<JsonElement> ApprovalAsync(this HttpClient client, string approvalId, int? waitSeconds = null)
    {
        var response = await client.GetAsync($"/api/approvals/{approvalId}" + (waitSeconds is { } w ? $"?waitSeconds={w}" : ""));
        await response.AssertStatus(HttpStatusCode.OK);
        return await response.Json();
    }

    public static async Task<string> RunStatusAsync(HttpClient owner, string runId)
    {
        var response = await owner.GetAsync($"/api/runs/{runId}");
        await response.AssertStatus(HttpStatusCode.OK);
        return (await response.Json()).GetProperty("run").GetProperty("status").GetString()!;
    }

    public static async Task<List<JsonElement>> TimelineAsync(HttpClient owner, string runId, string eventType)
    {
        var run = await (await owner.GetAsync($"/api/runs/{runId}")).Json();
        return run.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("eventType").GetString() == eventType).ToList();
    }

    /// <summary>Waits for a condition that a background service makes true.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {within.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(100);
        }
    }
}
