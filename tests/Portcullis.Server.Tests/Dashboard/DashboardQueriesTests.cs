using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Dashboard.Overview;
using Portcullis.Server.Features.Dashboard.RunList;
using Portcullis.Server.Features.Dashboard.Search;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Dashboard;

/// <summary>The dashboard's read queries (overview, search, runs-list summaries) on each store, scoped to one workspace.</summary>
public abstract class DashboardQueriesTests(ServerFixture server)
{
    private T Get<T>() where T : notnull => server.Factory.Services.GetRequiredService<T>();

    [Fact]
    public async Task Overview_counts_decisions_spend_and_executions_of_its_workspace_only()
    {
        var (ws, run) = await RefundsAsync();
        var other = await server.NewWorkspaceAsync();
        await other.RequestActionAsync(ActionBuilders.Refund(await other.StartRunAsync(), amount: 7000));

        var figures = await Get<OverviewQueries>().ReadAsync(ws.WorkspaceId!, OverviewWindow.Of("24h"), CancellationToken.None);

        var agent = Assert.Single(figures.Agents);
        Assert.Equal((ws.AgentId, 3L), (agent.AgentId, agent.Requests));
        Assert.Equal(14345m, agent.Spend); // 12345 + 2000; the blocked 50000 never happened
        Assert.Equal(2, figures.Decisions.Where(d => d.Label == "allow").Sum(d => d.Count));
        Assert.Equal(1, figures.Decisions.Where(d => d.Label == "block").Sum(d => d.Count));
        Assert.All(figures.Decisions, d => Assert.InRange(d.Bucket, 22, 23)); // all just now: the last hour of 24 (or the one before, across an hour)
        Assert.Equal(2, figures.Executions.Where(e => e.First == "stripe").Sum(e => e.Count));
        Assert.Empty(figures.PendingCreatedAt);
        Assert.Empty(figures.Alerts);
        Assert.NotNull(run);
    }

    [Fact]
    public async Task Search_finds_runs_approvals_and_agents_of_its_workspace_only()
    {
        var ws = await server.NewWorkspaceAsync();
        var externalRef = $"REF-{Guid.NewGuid():n}";
        var run = await ws.StartRunAsync(externalRef: externalRef);
        var other = await server.NewWorkspaceAsync();
        var otherRun = await other.StartRunAsync(externalRef: externalRef);
        var search = Get<DashboardSearch>();

        Assert.Equal([$"/runs/{run}"], (await search.FindAsync(ws.WorkspaceId!, externalRef, CancellationToken.None)).Select(h => h.Href));
        Assert.Equal([$"/runs/{run}"], (await search.FindAsync(ws.WorkspaceId!, run, CancellationToken.None)).Select(h => h.Href));
        Assert.Empty(await search.FindAsync(ws.WorkspaceId!, otherRun, CancellationToken.None));
        var agents = await search.FindAsync(ws.WorkspaceId!, "AGENT-O", CancellationToken.None);
        Assert.Equal(("agent", "agent-one"), (Assert.Single(agents).Kind, agents[0].Title));
        Assert.Empty(await search.FindAsync(ws.WorkspaceId!, "agent_one", CancellationToken.None)); // `_` is literal, not a wildcard
    }

    [Fact]
    public async Task Run_summaries_count_actions_and_name_the_latest_decision()
    {
        var (ws, run) = await RefundsAsync();
        var quiet = await ws.StartRunAsync();
        var other = await server.NewWorkspaceAsync();
        var otherRun = await other.StartRunAsync();
        await other.RequestActionAsync(ActionBuilders.Refund(otherRun));

        var summaries = await Get<RunSummaries>().ReadAsync(ws.WorkspaceId!, [run, quiet, otherRun], CancellationToken.None);

        Assert.Equal(new RunSummary(3, "block"), summaries[run]);
        Assert.Equal(new RunSummary(0, null), summaries[quiet]);
        Assert.False(summaries.ContainsKey(otherRun));
    }

    // One run: two allowed refunds, then a refund blocked by a policy.
    private async Task<(TestWorkspace Ws, string Run)> RefundsAsync()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("no huge refunds", "action_type = refund.create AND payload.amount > 40000", "block", "too large");
        var run = await ws.StartRunAsync();
        await ws.RequestActionAsync(ActionBuilders.Refund(run, amount: 12345));
        await ws.RequestActionAsync(ActionBuilders.Refund(run, amount: 2000));
        await ws.RequestActionAsync(ActionBuilders.Refund(run, amount: 50000));
        return (ws, run);
    }
}

public sealed class DashboardQueriesSqliteTests(SqliteServer s) : DashboardQueriesTests(s), IClassFixture<SqliteServer>;

public sealed class DashboardQueriesPostgresTests(PostgresServer s) : DashboardQueriesTests(s), IClassFixture<PostgresServer>;
