using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Policies;

/// <summary>
/// Budgets and rate limits hold under concurrency: 30 refunds of 1,000 sent at once against a 10,000 budget (or a limit of
/// 10 requests) allow exactly 10. Before, every request read the total before any was recorded, and all 30 were allowed.
/// </summary>
public abstract class VelocityConcurrencyTests(ServerFixture server)
{
    public const string Budget = "action_type = refund.create AND SUM(payload.amount, LAST 24h PER agent SAME ACTION) > 10000";
    public const string Rate = "action_type = refund.create AND COUNT(LAST 24h PER agent SAME ACTION) >= 10";

    [Theory]
    [InlineData(Budget)]
    [InlineData(Rate)]
    public async Task Thirty_concurrent_refunds_against_a_limit_of_ten_allow_exactly_ten(string condition)
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PostJson("/api/policies", new { name = "limit", condition, decision = "block" })).AssertStatus(HttpStatusCode.Created);
        var runId = await ws.StartRunAsync();

        var decisions = await ConcurrentRefundsAsync([ws.Agent()], runId, 30);

        Assert.Equal(10, decisions.Count(d => d == "allow"));
        Assert.Equal(20, decisions.Count(d => d == "block"));
    }

    /// <summary>Sends <paramref name="count"/> refunds of 1,000 at once, spread over <paramref name="agents"/>; returns the decisions.</summary>
    public static async Task<string[]> ConcurrentRefundsAsync(IReadOnlyList<HttpClient> agents, string runId, int count)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, count).Select(async i =>
        {
            await start.WaitAsync();
            var response = await agents[i % agents.Count].PostJson("/api/actions/request", new
            {
                runId, actionType = "refund.create", payload = new { charge = $"ch_{i}", amount = 1000 },
            });
            await response.AssertStatus(HttpStatusCode.OK);
            return (await response.Json()).GetProperty("decision").GetString()!;
        }).ToList();
        start.Release(count);
        return await Task.WhenAll(requests);
    }
}

public sealed class VelocityConcurrencySqliteTests(SqliteServer s) : VelocityConcurrencyTests(s), IClassFixture<SqliteServer>;

public sealed class VelocityConcurrencyPostgresTests(PostgresServer s) : VelocityConcurrencyTests(s), IClassFixture<PostgresServer>;

/// <summary>The same limit holds when the requests are spread over two server instances on one PostgreSQL.</summary>
public sealed class TwoInstanceVelocityTests
{
    [Theory]
    [InlineData(VelocityConcurrencyTests.Budget)]
    [InlineData(VelocityConcurrencyTests.Rate)]
    public async Task Thirty_refunds_over_two_instances_allow_exactly_ten(string condition)
    {
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        await using var one = new PortcullisFactory(database);
        await using var two = new PortcullisFactory(database);
        _ = one.Server;
        _ = two.Server;
        var suffix = Guid.NewGuid().ToString("n");
        var (ownerToken, agentKey) = ("pat_" + suffix + suffix[..8], "pk_live_" + suffix + suffix[..8]);
        await one.Services.GetRequiredService<Database>().WriteAsync((c, t) => one.Services.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync(c, t, new WorkspaceProvisioner.Request("velocity", $"owner-{suffix[..10]}@example.com", "another secure password", "agent-one", agentKey, ownerToken)));
        await (await Client(one, ownerToken).PostJson("/api/policies", new { name = "limit", condition, decision = "block" })).AssertStatus(HttpStatusCode.Created);
        var started = await Client(one, agentKey).PostJson("/api/ingest/run-start", new { triggerType = "velocity" });
        var runId = (await started.Json()).GetProperty("runId").GetString()!;

        var decisions = await VelocityConcurrencyTests.ConcurrentRefundsAsync([Client(one, agentKey), Client(two, agentKey)], runId, 30);

        Assert.Equal(10, decisions.Count(d => d == "allow"));
    }

    private static HttpClient Client(PortcullisFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
