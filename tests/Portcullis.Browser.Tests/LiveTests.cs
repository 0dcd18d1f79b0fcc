using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class LiveTests(DashboardHost host)
{
    [Fact]
    public async Task The_run_page_shows_new_timeline_entries_and_the_end_of_the_run_without_a_reload()
    {
        var agent = host.Api(DashboardHost.AgentKey);
        var run = await agent.StartRunAsync(externalRef: "ticket-4711");
        var page = await host.SignInAsync();
        await page.GotoAsync($"/runs/{run}");
        await Expect(page.Locator("#live-indicator")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.stillTheSamePage = true; }");

        await agent.PostEventAsync(run, 2, "ticket.classified", new { category = "refund", confidence = 0.93 });
        var classified = page.Locator("#timeline .entry", new PageLocatorOptions { HasText = "ticket.classified" });
        await Expect(classified).ToBeVisibleAsync();
        await Expect(classified).ToContainTextAsync("#2");

        await agent.RequestActionAsync(run, "ticket.get", new { ticketId = 4711 });
        await Expect(page.Locator("#timeline .entry.kind-action-executed")).ToContainTextAsync("ticket.get");
        await Expect(page.Locator("#timeline .entry.kind-policy-decision")).ToBeVisibleAsync();

        var ended = await agent.PostAsJsonAsync("/api/ingest/run-end", new { runId = run, status = "completed" });
        ended.EnsureSuccessStatusCode();
        await Expect(page.Locator("#run-status")).ToHaveTextAsync("completed");
        await Expect(page.Locator("#live-indicator")).ToBeHiddenAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
    }
}
