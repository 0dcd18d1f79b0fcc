using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;
using static Portcullis.Server.Tests.Subscriptions.EventSteps;

namespace Portcullis.Server.Tests.Subscriptions;

/// <summary>Deliveries to a real local receiver: CloudEvents 1.0 shape, signature, retries, recorded attempts, and no secrets.</summary>
public abstract class EventDeliveryTests(EventServer server)
{
    [Fact]
    public async Task A_real_action_reaches_the_receiver_as_signed_CloudEvents_and_each_delivery_is_recorded()
    {
        await using var receiver = await FakeHttp.StartAsync((_, _) => (200, "{}"));
        var ws = await server.NewWorkspaceAsync();
        var secret = await RotateSecretAsync(ws.Owner());
        var subscription = await SubscribeAsync(ws.Owner(), receiver.BaseUrl + "/events", "run.started", "action.decided", "action.executed");

        var (runId, actionId) = await RefundAsync(ws.Agent());
        await WaitForAsync(receiver, e => e.Select(x => x.GetProperty("id").GetString()).Distinct().Count() == 3, "three events");

        var events = Events(receiver).DistinctBy(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(
            ["dev.portcullis.action.decided", "dev.portcullis.action.executed", "dev.portcullis.run.started"],
            events.Select(e => e.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        foreach (var (call, e) in receiver.Requests.Zip(Events(receiver)))
        {
            Assert.Equal("1.0", e.GetProperty("specversion").GetString());
            Assert.StartsWith("evt_", e.GetProperty("id").GetString());
            Assert.Equal($"/workspaces/{ws.WorkspaceId}", e.GetProperty("source").GetString());
            Assert.Equal("application/json", e.GetProperty("datacontenttype").GetString());
            Assert.True(DateTimeOffset.TryParse(e.GetProperty("time").GetString(), out _));
            Assert.StartsWith("application/cloudevents+json", call.Header("Content-Type"));
            Assert.Equal(e.GetProperty("type").GetString(), call.Header("Portcullis-Event"));
            AssertSigned(secret, call);
        }

        var executed = events.Single(e => e.GetProperty("type").GetString() == "dev.portcullis.action.executed");
        Assert.Equal(actionId, executed.GetProperty("subject").GetString());
        Assert.Equal((actionId, runId), (executed.GetProperty("data").GetProperty("actionRequestId").GetString(), executed.GetProperty("data").GetProperty("runId").GetString()));
        Assert.Equal("executed", executed.GetProperty("data").GetProperty("execution").GetProperty("status").GetString());
        var decided = events.Single(e => e.GetProperty("type").GetString() == "dev.portcullis.action.decided").GetProperty("data");
        Assert.Equal(("allow", "refund.create", runId), (decided.GetProperty("decision").GetString(), decided.GetProperty("actionType").GetString(), decided.GetProperty("runId").GetString()));
        Assert.Equal(runId, events.Single(e => e.GetProperty("type").GetString() == "dev.portcullis.run.started").GetProperty("data").GetProperty("runId").GetString());

        await EventuallyAsync(async () => (await DeliveriesAsync(ws.Owner(), subscription)).All(d => d.GetProperty("status").GetString() == "delivered"),
            TimeSpan.FromSeconds(5), "the deliveries to be recorded");
        var deliveries = await DeliveriesAsync(ws.Owner(), subscription);
        Assert.Equal(3, deliveries.Count);
        // A dropped connection is retried like any failed attempt, so the last attempt is the one that counts.
        Assert.All(deliveries, d => Assert.Equal(200, d.GetProperty("history").EnumerateArray().Last().GetProperty("statusCode").GetInt32()));
        Assert.Equal(receiver.Requests.Select(r => r.Header("Portcullis-Delivery")).Distinct().Order(), deliveries.Select(d => d.GetProperty("id").GetString()).Order());
    }

    [Fact]
    public async Task A_test_event_answered_with_500_is_retried_after_a_back_off_and_every_attempt_is_recorded()
    {
        await using var receiver = await FakeHttp.StartAsync((_, index) => index == 0 ? (500, "oops") : (200, "{}"));
        var ws = await server.NewWorkspaceAsync();
        var subscription = await SubscribeAsync(ws.Owner(), receiver.BaseUrl + "/events", "run.ended");

        var test = await ws.Owner().PostAsync($"/api/event-subscriptions/{subscription}/test", null);
        await test.AssertStatus(HttpStatusCode.Accepted);
        var queued = await test.Json();
        Assert.Equal(("pending", "dev.portcullis.subscription.test"), (queued.GetProperty("status").GetString(), queued.GetProperty("type").GetString()));
        await EventuallyAsync(() => Task.FromResult(receiver.Requests.Count == 2), TimeSpan.FromSeconds(15), "the retried delivery");

        var (first, second) = (receiver.Requests[0], receiver.Requests[1]);
        Assert.True(second.At - first.At >= TimeSpan.FromMilliseconds(900), $"retried after {second.At - first.At}");
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(queued.GetProperty("id").GetString(), second.Header("Portcullis-Delivery"));
        await EventuallyAsync(async () => (await DeliveriesAsync(ws.Owner(), subscription))[0].GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(5), "the delivery to be recorded");
        var delivery = Assert.Single(await DeliveriesAsync(ws.Owner(), subscription));
        Assert.Equal((2, 200), (delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("lastStatus").GetInt32()));
        var history = delivery.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([500, 200], history.Select(h => h.GetProperty("statusCode").GetInt32()));
        Assert.Equal("the receiver answered 500", history[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task Approvals_policies_credentials_and_run_ends_are_sent_and_no_event_ever_carries_a_secret()
    {
        await using var receiver = await FakeHttp.StartAsync((_, _) => (200, "{}"));
        var ws = await server.NewWorkspaceAsync();
        var signing = await RotateSecretAsync(ws.Owner());
        await GoLiveAsync(ws.Owner(), ws.AgentId!);
        await SubscribeAsync(ws.Owner(), receiver.BaseUrl + "/all", ["action.decided", "action.executed", "action.failed", "approval.requested",
            "approval.decided", "run.started", "run.ended", "credential.needs_reconnect", "policy.changed"]);

        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(r.ApprovalId, "ok")).AssertStatus(HttpStatusCode.OK);
        await (await ws.Agent().PostJson("/api/ingest/run-end", new { runId = r.RunId, status = "completed" })).AssertStatus(HttpStatusCode.OK);
        var credentialId = await server.ScalarAsync<string>("SELECT id FROM credentials WHERE workspace_id = @ws", new { ws = ws.WorkspaceId });
        await server.Factory.Services.GetRequiredService<CredentialStore>().SetStatusAsync(ws.WorkspaceId!, credentialId, CredentialStatus.NeedsReconnect, default);

        string[] expected = ["policy.changed", "run.started", "action.decided", "approval.requested", "approval.decided", "action.executed", "run.ended",
            "credential.needs_reconnect"];
        await WaitForAsync(receiver, e => e.Count >= expected.Length, "every event");
        var events = Events(receiver).ToDictionary(e => e.GetProperty("type").GetString()!["dev.portcullis.".Length..]);
        Assert.Equal(expected.Order(), events.Keys.Order());
        Assert.Equal(("approved", "ok"), (events["approval.decided"].GetProperty("data").GetProperty("status").GetString(),
            events["approval.decided"].GetProperty("data").GetProperty("comment").GetString()));
        Assert.Equal(r.ApprovalId, events["approval.requested"].GetProperty("subject").GetString());
        Assert.Equal("created", events["policy.changed"].GetProperty("data").GetProperty("change").GetString());
        Assert.Equal("completed", events["run.ended"].GetProperty("data").GetProperty("status").GetString());
        var credential = events["credential.needs_reconnect"].GetProperty("data");
        Assert.Equal(("needs_reconnect", ws.AgentId), (credential.GetProperty("status").GetString(), credential.GetProperty("linkedAgentIds")[0].GetString()));
        Assert.False(events["action.executed"].GetProperty("data").GetProperty("execution").GetProperty("simulated").GetBoolean());

        // SECURITY: neither the provider key nor the signing secret appears in any body, nor in the stored outbox.
        Assert.All(receiver.Requests, call => Assert.DoesNotContain("sk_test_approvals", call.Body, StringComparison.Ordinal));
        Assert.All(receiver.Requests, call => Assert.DoesNotContain(signing, call.Body, StringComparison.Ordinal));
        await using var c = await server.Database.OpenAsync();
        var bodies = await c.QueryAsync<string>("SELECT body FROM event_deliveries WHERE workspace_id = @ws", new { ws = ws.WorkspaceId });
        Assert.All(bodies, b => Assert.DoesNotContain("sk_test_approvals", b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_url_the_guard_refuses_at_delivery_time_is_a_recorded_failure_and_nothing_is_sent()
    {
        await using var receiver = await FakeHttp.StartAsync((_, _) => (200, "{}"));
        var ws = await server.NewWorkspaceAsync();
        var subscription = await SubscribeAsync(ws.Owner(), receiver.BaseUrl + "/events", "run.started");
        // As if the operator's rules tightened after the subscription was made: the stored URL now points at an internal address.
        await server.Database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE event_subscriptions SET url = 'http://169.254.169.254/latest' WHERE id = @subscription", new { subscription }, t));

        await (await ws.Owner().PostAsync($"/api/event-subscriptions/{subscription}/test", null)).AssertStatus(HttpStatusCode.Accepted);
        await EventuallyAsync(async () => (await DeliveriesAsync(ws.Owner(), subscription))[0].GetProperty("attempts").GetInt32() == 1,
            TimeSpan.FromSeconds(10), "the first attempt");

        var delivery = Assert.Single(await DeliveriesAsync(ws.Owner(), subscription));
        Assert.Contains("url_not_allowed", delivery.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("lastStatus").ValueKind);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_workspace_without_a_matching_subscription_queues_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        await SubscribeAsync(ws.Owner(), "http://127.0.0.1:9/events", "workflow.run.failed");

        await RefundAsync(ws.Agent());

        Assert.Equal(0, await server.ScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries WHERE workspace_id = @ws", new { ws = ws.WorkspaceId }));
    }
}

public sealed class EventDeliverySqliteTests(EventServer.Sqlite s) : EventDeliveryTests(s), IClassFixture<EventServer.Sqlite>;

public sealed class EventDeliveryPostgresTests(EventServer.Postgres s) : EventDeliveryTests(s), IClassFixture<EventServer.Postgres>;
