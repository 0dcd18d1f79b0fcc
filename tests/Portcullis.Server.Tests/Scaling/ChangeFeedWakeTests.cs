using System.Diagnostics;
using System.Net;
using Dapper;
using Npgsql;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Scaling;

/// <summary>Long-polls are woken by the change feed, not by re-reading the store: on one instance, and across instances on PostgreSQL.</summary>
public sealed class ChangeFeedWakeTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task A_decision_wakes_a_long_poll_at_once_with_no_store_polling(StorageProvider provider)
    {
        await using var stripe = await FakeHttp.StripeAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = new PortcullisFactory(database, Settings(stripe));
        var ws = await ScaledApprovals.CreateAsync(server);
        var r = await RequestRefundAsync(ws.Agent(server));

        var answered = await DecideWhileWaitingAsync(ws.Agent(server), ws.Approver(server), r.ApprovalId);

        Assert.Equal("approved", answered.GetProperty("status").GetString());
        Assert.Equal("executed", answered.GetProperty("execution").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_decision_on_one_instance_wakes_a_long_poll_on_another()
    {
        await using var stripe = await FakeHttp.StripeAsync();
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        await using var one = new PortcullisFactory(database, Settings(stripe));
        await using var two = new PortcullisFactory(database, Settings(stripe));
        var ws = await ScaledApprovals.CreateAsync(one);
        var r = await RequestRefundAsync(ws.Agent(one));

        var answered = await DecideWhileWaitingAsync(ws.Agent(two), ws.Approver(one), r.ApprovalId);

        Assert.Equal("approved", answered.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_rejection_on_one_instance_wakes_many_long_polls_on_another()
    {
        await using var stripe = await FakeHttp.StripeAsync();
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        await using var one = new PortcullisFactory(database, Settings(stripe));
        await using var two = new PortcullisFactory(database, Settings(stripe));
        var ws = await ScaledApprovals.CreateAsync(one);
        var r = await RequestRefundAsync(ws.Agent(one));
        Assert.Equal("pending", (await ws.Agent(two).ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString()); // instance two is up
        var polls = Enumerable.Range(0, 20).Select(_ => ws.Agent(two).ApprovalAsync(r.ApprovalId, waitSeconds: 60)).ToList();
        await Task.Delay(1000);
        Assert.DoesNotContain(polls, p => p.IsCompleted);

        await (await ws.Approver(one).RejectAsync(r.ApprovalId)).AssertStatus(HttpStatusCode.OK);
        var answers = await Task.WhenAll(polls).WaitAsync(Prompt);

        Assert.All(answers, a => Assert.Equal("rejected", a.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_decision_made_while_the_listener_is_disconnected_still_wakes_the_long_poll_once_it_reconnects()
    {
        await using var stripe = await FakeHttp.StripeAsync();
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        await using var one = new PortcullisFactory(database, Settings(stripe));
        await using var two = new PortcullisFactory(database, Settings(stripe));
        var ws = await ScaledApprovals.CreateAsync(one);
        var r = await RequestRefundAsync(ws.Agent(one));
        Assert.Equal("pending", (await ws.Agent(two).ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
        await EventuallyAsync(async () => await ListenersAsync(database) == 2, TimeSpan.FromSeconds(10), "both instances to listen");
        var poll = ws.Agent(two).ApprovalAsync(r.ApprovalId, waitSeconds: 30);
        await Task.Delay(1000);

        // Both listening connections die; the decision's NOTIFY goes out while nobody listens (they retry after a second).
        await using (var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString()))
        {
            await admin.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'portcullis-listener' AND datname = @db",
                new { db = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database });
        }

        await (await ws.Approver(one).ApproveAsync(r.ApprovalId)).AssertStatus(HttpStatusCode.OK);
        var answered = await poll.WaitAsync(Prompt);

        Assert.Equal("approved", answered.GetProperty("status").GetString());
    }

    private static async Task<long> ListenersAsync(TestDatabase database)
    {
        await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString());
        return await admin.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'portcullis-listener' AND datname = @db",
            new { db = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database });
    }

    internal static Dictionary<string, string?> Settings(FakeHttp stripe) =>
        new(ScaledApprovals.NoPolling) { ["Portcullis:Connectors:Stripe:BaseUrl"] = stripe.BaseUrl };

    private static async Task<System.Text.Json.JsonElement> DecideWhileWaitingAsync(HttpClient waiter, HttpClient approver, string approvalId)
    {
        // A first read, so the waiting instance is up and the wait below starts before the decision.
        Assert.Equal("pending", (await waiter.ApprovalAsync(approvalId)).GetProperty("status").GetString());
        var poll = waiter.ApprovalAsync(approvalId, waitSeconds: 30);
        await Task.Delay(1000);
        Assert.False(poll.IsCompleted);
        var clock = Stopwatch.StartNew();
        await (await approver.ApproveAsync(approvalId)).AssertStatus(HttpStatusCode.OK);
        var answered = await poll.WaitAsync(Prompt);
        Assert.True(clock.Elapsed < Prompt, $"the long-poll answered {clock.Elapsed} after the decision");
        return answered;
    }
}
