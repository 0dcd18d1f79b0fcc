using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>The overview, the dashboard's home: its charts count the workspace's requests and every bar opens the list behind it.</summary>
[Collection(DashboardCollection.Name)]
public sealed class OverviewTests(DashboardHost host)
{
    [Fact]
    public async Task Overview_is_home_and_its_charts_count_spend_and_agents_and_link_to_the_runs()
    {
        var (name, agentId, key) = await NewAgentAsync();
        var agent = host.Api(key);
        var run = await agent.StartRunAsync(externalRef: $"OV-{Guid.NewGuid():n}");
        await agent.RequestActionAsync(run, "refund.create", new { charge = "ch_overview1", amount = 12345 });
        await agent.RequestActionAsync(run, "refund.create", new { charge = "ch_overview2", amount = 2000 });
        await agent.RequestActionAsync(run, "ticket.note", new { amount = 99999 }); // not refund-like: not spend

        var page = await host.SignInAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await Expect(page.Locator(".sidebar nav a.active")).ToHaveTextAsync("Overview");
        await Expect(page.Locator("#spend-what")).ToContainTextAsync("payload.amount");
        foreach (var id in new[] { "chart-decisions", "chart-pending", "chart-agents", "chart-spend" })
        {
            await Expect(page.Locator($"#{id} > title")).Not.ToBeEmptyAsync();
            Assert.Equal("img", await page.GetAttributeAsync($"#{id}", "role"));
        }

        // 123.45 + 20.00 of refunds; the other action's amount is not spend.
        var spendBar = page.Locator($"#chart-spend a[aria-label='{name}: 143.45']");
        await Expect(spendBar).ToHaveCountAsync(1);
        await Expect(page.Locator("#chart-spend")).ToContainTextAsync("143.45");
        await Expect(page.Locator($"#chart-agents a[aria-label='{name}: 3 action requests']")).ToHaveCountAsync(1);
        Assert.True(await page.Locator("#chart-decisions a").CountAsync() > 0);

        await spendBar.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"agentId={agentId}", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Runs");
        await Expect(page.Locator($"a[href='/runs/{run}']")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "overview-drilldown");

        // The runs list tells each run's actions and its latest decision.
        var row = page.Locator("table.list tbody tr", new PageLocatorOptions { Has = page.Locator($"a[href='/runs/{run}']") });
        await Expect(row.Locator("td[data-label=Actions]")).ToHaveTextAsync("3");
        await Expect(row.Locator("td[data-label='Last decision'] .badge")).Not.ToBeEmptyAsync();
        await Expect(row.Locator("td[data-label=Duration]")).ToContainTextAsync("so far");
    }

    [Fact]
    public async Task Each_decision_bar_opens_the_runs_of_its_span_and_the_window_can_change()
    {
        var page = await host.SignInAsync();
        await page.ClickAsync("nav.tabs a:text('Last 24 hours')");
        await page.WaitForURLAsync("**/?window=24h");
        await Expect(page.Locator("#chart-decisions > title")).ToHaveTextAsync("Action requests by decision over the last 24 hours");
        var hrefs = await page.Locator("#chart-decisions a").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href'))");
        Assert.All(hrefs, h => Assert.Matches(@"^/runs\?from=\d{4}-\d\d-\d\dT\d\d%3A00&to=.*&decision=(allow|allow_with_alert|require_approval|block)$", h));
        await page.GotoAsync("/?window=30d");
        await Expect(page.Locator("nav.tabs a.active")).ToHaveTextAsync("Last 30 days");
    }

    private async Task<(string Name, string Id, string Key)> NewAgentAsync()
    {
        var owner = host.Api();
        var name = $"overview-{Guid.NewGuid():n}"[..20];
        var created = await (await owner.PostAsJsonAsync("/api/agents", new { name })).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var key = await (await owner.PostAsJsonAsync($"/api/agents/{id}/keys", new { name = "overview" })).JsonAsync(HttpStatusCode.Created);
        return (name, id, key.GetProperty("key").GetString()!);
    }
}
