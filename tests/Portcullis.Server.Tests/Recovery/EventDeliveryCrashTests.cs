using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;
using static Portcullis.Server.Tests.Recovery.CrashRecoveryTests;
using static Portcullis.Server.Tests.Subscriptions.EventSteps;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>
/// The real server process killed with SIGKILL after an action queued its event but before the event went out: the
/// delivery, queued in the action's transaction, is sent once by the restarted server and recorded as delivered.
/// </summary>
public sealed class EventDeliveryCrashTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task An_event_queued_before_a_kill_9_is_delivered_once_after_the_restart(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var receiver = await FakeHttp.StartAsync((_, _) => (200, "{}"));
        var environment = Environment(db, "http://127.0.0.1:9");
        var workDir = Directory.CreateTempSubdirectory("portcullis-event-crash-").FullName;
        string subscription, actionId;
        // The first instance's deliverer first looks an hour after start: the event stays queued until it is killed.
        await using (var first = await PortcullisProcess.StartAsync(workDir, new Dictionary<string, string>(environment) { ["Portcullis__Events__PollIntervalMs"] = "3600000" }))
        {
            subscription = await SubscribeAsync(Client(first.BaseUrl, AdminToken), receiver.BaseUrl + "/events", "action.executed");
            actionId = (await RefundAsync(Client(first.BaseUrl, AgentKey))).ActionRequestId;
            await Task.Delay(500);
            Assert.Empty(receiver.Requests);
            await first.KillAsync();
        }

        await using var second = await PortcullisProcess.StartAsync(workDir, new Dictionary<string, string>(environment) { ["Portcullis__Events__PollIntervalMs"] = "200" });
        await EventuallyAsync(() => Task.FromResult(receiver.Requests.Count > 0), TimeSpan.FromSeconds(15), "the queued event");
        using var admin = Client(second.BaseUrl, AdminToken);
        await EventuallyAsync(async () => (await DeliveriesAsync(admin, subscription)).All(d => d.GetProperty("status").GetString() == "delivered"),
            TimeSpan.FromSeconds(5), "the delivery to be recorded");
        await Task.Delay(1000);

        var sent = Assert.Single(receiver.Requests);
        Assert.Contains(actionId, sent.Body, StringComparison.Ordinal);
        var delivery = Assert.Single(await DeliveriesAsync(admin, subscription));
        Assert.Equal(sent.Header("Portcullis-Delivery"), delivery.GetProperty("id").GetString());
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
    }
}
