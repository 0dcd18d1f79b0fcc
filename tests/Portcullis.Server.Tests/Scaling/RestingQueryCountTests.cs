using System.Net;
using Dapper;
using Npgsql;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using Xunit.Abstractions;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Scaling;

/// <summary>
/// At rest, waiting costs the database nothing: the transactions PostgreSQL counts for the server's database over a window
/// are the same with 100 long-polls waiting as with none (before the change feed, each long-poll re-read every 200 ms:
/// measured: 10,078 more in 10 s). Method and figures: docs/scaling.md.
/// </summary>
[Collection(Quiet.Name)]
public sealed class RestingQueryCountTests(ITestOutputHelper output)
{
    private const int Waiters = 100;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    // An idle PostgreSQL backend reports its counters up to 10 s late: every window starts after a settling pause.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(11);

    [Fact]
    public async Task A_hundred_waiting_long_polls_add_no_queries_at_rest()
    {
        await using var stripe = await FakeHttp.StripeAsync();
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        await using var server = new PortcullisFactory(database, ChangeFeedWakeTests.Settings(stripe));
        var ws = await ScaledApprovals.CreateAsync(server);
        var approvals = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            approvals.Add((await RequestRefundAsync(ws.Agent(server))).ApprovalId);
        }

        await Task.Delay(Settle);
        var idle = await CountOverWindowAsync(database);
        var polls = Enumerable.Range(0, Waiters).Select(i => ws.Agent(server).ApprovalAsync(approvals[i % approvals.Count], waitSeconds: 60)).ToList();
        await Task.Delay(Settle);
        var waiting = await CountOverWindowAsync(database);
        Assert.DoesNotContain(polls, p => p.IsCompleted);

        output.WriteLine($"over {Window.TotalSeconds} s: no waiters {idle}; {Waiters} waiters {waiting}");
        // Counters reported late by the pool connections the 100 requests opened make a few dozen of noise; polling cost 10,000.
        Assert.True(waiting.Transactions - idle.Transactions < Waiters,
            $"{Waiters} idle long-polls cost {waiting.Transactions - idle.Transactions} transactions in {Window.TotalSeconds} s (idle: {idle}, waiting: {waiting})");

        foreach (var approval in approvals)
        {
            await (await ws.Approver(server).RejectAsync(approval)).AssertStatus(HttpStatusCode.OK);
        }

        var answers = await Task.WhenAll(polls).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(answers, a => Assert.Equal("rejected", a.GetProperty("status").GetString()));
    }

    private static async Task<Counts> CountOverWindowAsync(TestDatabase database)
    {
        var before = await ReadAsync(database);
        await Task.Delay(Window);
        var after = await ReadAsync(database);
        return new Counts(after.Transactions - before.Transactions, after.TuplesReturned - before.TuplesReturned);
    }

    private static async Task<Counts> ReadAsync(TestDatabase database)
    {
        // From the admin database, so these reads are not counted against the server's.
        await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString());
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
        return await admin.QuerySingleAsync<Counts>(
            "SELECT xact_commit + xact_rollback AS Transactions, tup_returned AS TuplesReturned FROM pg_stat_database WHERE datname = @name", new { name });
    }

    private sealed record Counts(long Transactions, long TuplesReturned)
    {
        public override string ToString() => $"{Transactions} transactions, {TuplesReturned} tuples returned";
    }
}

/// <summary>Tests that measure the database must not share the machine with other tests' load: they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Quiet
{
    public const string Name = "quiet";
}
