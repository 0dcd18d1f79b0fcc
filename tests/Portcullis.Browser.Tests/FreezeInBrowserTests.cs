using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>The kill switch on an agent's page: one click, confirmed, a visible banner, and the agent blocked at its next request.</summary>
[Collection(DashboardCollection.Name)]
public sealed class FreezeInBrowserTests(DashboardHost host)
{
    [Fact]
    public async Task Freeze_asks_for_confirmation_shows_a_frozen_banner_blocks_the_agent_and_unfreeze_lifts_it()
    {
        // An agent of its own, so the other dashboard tests keep an agent that can act.
        var owner = host.Api();
        var agentId = (await (await owner.PostAsJsonAsync("/api/agents", new { name = $"freeze-{Guid.NewGuid():n}"[..20] })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var key = (await (await owner.PostAsJsonAsync($"/api/agents/{agentId}/keys", new { name = "k" })).JsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString()!;
        using var agent = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var runId = await agent.StartRunAsync("freeze-check");

        var page = await host.SignInAsync();
        var accept = false;
        page.Dialog += (_, dialog) => _ = accept ? dialog.AcceptAsync() : dialog.DismissAsync();
        await page.GotoAsync($"/agents/{agentId}");
        await page.FillAsync(".freeze-form input[name=reason]", "incident 7: stop it");

        // Dismissed: nothing happens.
        await page.ClickAsync("button:text('Freeze agent')");
        await Expect(page.Locator(".frozen-banner")).ToHaveCountAsync(0);
        Assert.Equal("allow", (await agent.RequestActionAsync(runId, "freeze.probe", new { text = "a" })).GetProperty("decision").GetString());

        accept = true;
        await page.ClickAsync("button:text('Freeze agent')");
        await Expect(page.Locator(".frozen-banner")).ToContainTextAsync("incident 7: stop it");
        await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("frozen");
        await Screenshots.SaveAsync(page, "agent-frozen");
        var blocked = await agent.RequestActionAsync(runId, "freeze.probe", new { text = "b" });
        Assert.Equal(("block", "incident 7: stop it"), (blocked.GetProperty("decision").GetString(), blocked.GetProperty("reason").GetString()));

        await page.ClickAsync(".frozen-banner button:text('Unfreeze')");
        await Expect(page.Locator(".frozen-banner")).ToHaveCountAsync(0);
        await Expect(page.Locator(".freeze-form")).ToHaveCountAsync(1);
        Assert.Equal("allow", (await agent.RequestActionAsync(runId, "freeze.probe", new { text = "c" })).GetProperty("decision").GetString());
    }
}
