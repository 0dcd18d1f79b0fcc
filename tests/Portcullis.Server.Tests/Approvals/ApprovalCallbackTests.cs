using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>Signed callbacks to the URL an agent gave with its request, from the outbox, with retries.</summary>
public abstract class ApprovalCallbackTests(ApprovalServer server)
{
    [Fact]
    public async Task An_approved_and_executed_request_is_posted_to_the_callback_url_with_a_valid_signature()
    {
        await using var receiver = await FakeHttp.StartAsync((_, _) => (200, "{}"));
        var ws = await server.NewWorkspaceAsync();
        var secret = await RotateAsync(ws.Owner());
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent(), callbackUrl: receiver.BaseUrl + "/hooks/portcullis?agent=one");

        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(r.ApprovalId, "fine")).AssertStatus(HttpStatusCode.OK);
        await EventuallyAsync(() => Task.FromResult(receiver.Requests.Count == 1), TimeSpan.FromSeconds(10), "the callback");

        var call = Assert.Single(receiver.Requests);
        Assert.Equal(("POST", "/hooks/portcullis"), (call.Method, call.Path));
        Assert.Equal("approval.approved", call.Header("Portcullis-Event"));
        AssertSigned(secret, call);
        var body = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal((r.ApprovalId, "approved", "fine"), (body.GetProperty("id").GetString(), body.GetProperty("status").GetString(), body.GetProperty("comment").GetString()));
        Assert.Equal("executed", body.GetProperty("execution").GetProperty("status").GetString());

        // The receiver has the call before the sender has recorded its answer: wait for the record.
        await EventuallyAsync(async () => (await DeliveriesAsync(ws.Owner(), r.ApprovalId))[0].GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(5), "the delivery to be recorded");
        var delivery = Assert.Single(await DeliveriesAsync(ws.Owner(), r.ApprovalId));
        Assert.Equal(("delivered", 1, call.Header("Portcullis-Delivery")), (delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("id").GetString()));
        Assert.Equal(200, Assert.Single(delivery.GetProperty("history").EnumerateArray()).GetProperty("statusCode").GetInt32());
        Assert.Equal(receiver.BaseUrl + "/hooks/portcullis?…", delivery.GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_callback_answered_with_500_is_retried_after_a_back_off_and_every_attempt_is_recorded()
    {
        await using var receiver = await FakeHttp.StartAsync((_, index) => index == 0 ? (500, "oops") : (200, "{}"));
        var ws = await server.NewWorkspaceAsync();
        var secret = await RotateAsync(ws.Owner());
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent(), callbackUrl: receiver.BaseUrl + "/hook");

        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).RejectAsync(r.ApprovalId, "not this one")).AssertStatus(HttpStatusCode.OK);
        await EventuallyAsync(() => Task.FromResult(receiver.Requests.Count == 2), TimeSpan.FromSeconds(15), "the retried callback");

        var (first, second) = (receiver.Requests[0], receiver.Requests[1]);
        Assert.True(second.At - first.At >= TimeSpan.FromMilliseconds(900), $"retried after {second.At - first.At}");
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Header("Portcullis-Delivery"), second.Header("Portcullis-Delivery"));
        AssertSigned(secret, second);
        Assert.Equal(("rejected", "not this one"), (JsonDocument.Parse(second.Body).RootElement.GetProperty("status").GetString(),
            JsonDocument.Parse(second.Body).RootElement.GetProperty("comment").GetString()));

        await EventuallyAsync(async () => (await DeliveriesAsync(ws.Owner(), r.ApprovalId))[0].GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(5), "the delivery to be recorded");
        var delivery = Assert.Single(await DeliveriesAsync(ws.Owner(), r.ApprovalId));
        Assert.Equal(("approval.rejected", 2, 200), (delivery.GetProperty("event").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("lastStatus").GetInt32()));
        var history = delivery.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([500, 200], history.Select(h => h.GetProperty("statusCode").GetInt32()));
        Assert.Equal("the receiver answered 500", history[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_redirecting_receiver_is_not_followed_and_counts_as_a_failed_attempt()
    {
        await using var receiver = await FakeHttp.StartAsync((_, _) => (307, ""));
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent(), callbackUrl: receiver.BaseUrl + "/moved");
        await server.ExpireNowAsync(r.ApprovalId);
        Assert.Equal("expired", (await ws.Agent().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());

        await EventuallyAsync(async () => (await DeliveriesAsync(ws.Owner(), r.ApprovalId)).Single().GetProperty("attempts").GetInt32() == 1,
            TimeSpan.FromSeconds(10), "the first attempt");

        var delivery = Assert.Single(await DeliveriesAsync(ws.Owner(), r.ApprovalId));
        Assert.Equal(("approval.expired", "pending"), (delivery.GetProperty("event").GetString(), delivery.GetProperty("status").GetString()));
        Assert.Contains("redirects are never followed", delivery.GetProperty("lastError").GetString());
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Only_an_owner_rotates_the_signing_secret_which_is_shown_once_and_stored_sealed()
    {
        var ws = await server.NewWorkspaceAsync();
        var admin = server.WithBearer(await ws.MemberTokenAsync("admin"));
        await (await admin.PostAsync("/api/workspace/webhook-secret/rotate", null)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        Assert.False((await (await admin.GetAsync("/api/workspace/webhook-secret")).Json()).GetProperty("configured").GetBoolean());

        var secret = await RotateAsync(ws.Owner());
        var again = await RotateAsync(ws.Owner());

        Assert.StartsWith("whsec_", secret);
        Assert.NotEqual(secret, again);
        var status = await (await admin.GetAsync("/api/workspace/webhook-secret")).Content.ReadAsStringAsync();
        Assert.Contains("\"configured\":true", status);
        Assert.DoesNotContain(again, status);
        var stored = await server.ScalarAsync<string>("SELECT webhook_secret_sealed FROM workspaces WHERE id = @id", new { id = ws.WorkspaceId });
        Assert.DoesNotContain(again["whsec_".Length..], stored);
        Assert.Contains("webhook_secret.rotated", await server.AuditActionsAsync(ws.WorkspaceId!));
    }

    private static async Task<string> RotateAsync(HttpClient owner)
    {
        var response = await owner.PostAsync("/api/workspace/webhook-secret/rotate", null);
        await response.AssertStatus(HttpStatusCode.OK);
        return (await response.Json()).GetProperty("secret").GetString()!;
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(HttpClient owner, string approvalId)
    {
        var response = await owner.GetAsync($"/api/approvals/{approvalId}/deliveries");
        await response.AssertStatus(HttpStatusCode.OK);
        return (await response.Json()).GetProperty("items").EnumerateArray().ToList();
    }

    /// <summary>Verifies the signature as docs/approvals.md tells receivers to.</summary>
    private static void AssertSigned(string secret, Received call)
    {
        var parts = call.Header("Portcullis-Signature")!.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{call.Body}"));
        Assert.True(CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"])), "the signature does not verify");
        Assert.InRange(long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}

public sealed class ApprovalCallbackSqliteTests(ApprovalServer.Sqlite s) : ApprovalCallbackTests(s), IClassFixture<ApprovalServer.Sqlite>;

public sealed class ApprovalCallbackPostgresTests(ApprovalServer.Postgres s) : ApprovalCallbackTests(s), IClassFixture<ApprovalServer.Postgres>;
