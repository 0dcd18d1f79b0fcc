using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Subscriptions;

/// <summary>Steps the event subscription tests share.</summary>
public static class EventSteps
{
    public static async Task<string> SubscribeAsync(HttpClient admin, string url, params string[] types)
    {
        var response = await admin.PostJson("/api/event-subscriptions", new { url, types, description = "test receiver" });
        await response.AssertStatus(HttpStatusCode.Created);
        return (await response.Json()).GetProperty("id").GetString()!;
    }

    public static async Task<string> RotateSecretAsync(HttpClient owner)
    {
        var response = await owner.PostAsync("/api/workspace/webhook-secret/rotate", null);
        await response.AssertStatus(HttpStatusCode.OK);
        return (await response.Json()).GetProperty("secret").GetString()!;
    }

    public static async Task<List<JsonElement>> DeliveriesAsync(HttpClient admin, string subscriptionId)
    {
        var response = await admin.GetAsync($"/api/event-subscriptions/{subscriptionId}/deliveries");
        await response.AssertStatus(HttpStatusCode.OK);
        return (await response.Json()).GetProperty("items").EnumerateArray().ToList();
    }

    /// <summary>Starts a run and requests a refund that no policy holds (the workspace default allows it).</summary>
    public static async Task<(string RunId, string ActionRequestId)> RefundAsync(HttpClient agent)
    {
        var start = await agent.PostJson("/api/ingest/run-start", new { triggerType = "support-ticket" });
        await start.AssertStatus(HttpStatusCode.Created);
        var runId = (await start.Json()).GetProperty("runId").GetString()!;
        var response = await agent.PostJson("/api/actions/request", new
        {
            runId,
            actionType = "refund.create",
            provider = "stripe",
            payload = new { charge = "ch_3OabcEXAMPLE", amount = 1200, reason = "requested_by_customer" },
        });
        await response.AssertStatus(HttpStatusCode.OK);
        return (runId, (await response.Json()).GetProperty("actionRequestId").GetString()!);
    }

    /// <summary>Every CloudEvent the receiver got, parsed, in arrival order.</summary>
    public static List<JsonElement> Events(FakeHttp receiver) => receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();

    public static Task WaitForAsync(FakeHttp receiver, Func<List<JsonElement>, bool> condition, string what) =>
        ApprovalSteps.EventuallyAsync(() => Task.FromResult(condition(Events(receiver))), TimeSpan.FromSeconds(15), what);

    /// <summary>Verifies the signature as docs/event-subscriptions.md tells receivers to.</summary>
    public static void AssertSigned(string secret, Received call)
    {
        var parts = call.Header("Portcullis-Signature")!.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{call.Body}"));
        Assert.True(CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"])), "the signature does not verify");
    }
}
