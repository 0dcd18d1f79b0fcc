using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class AgentKeyTests(DashboardHost host)
{
    [Fact]
    public async Task A_new_api_key_is_shown_once_works_for_the_agent_api_and_stops_working_when_revoked()
    {
        var agentId = await host.Api().SeededAgentIdAsync();
        var page = await host.SignInAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync($"/agents/{agentId}?tab=keys");
        await page.FillAsync("input[name=keyName]", "browser-test");
        await page.ClickAsync("text=Generate API key");

        var key = await page.InputValueAsync("#new-key");
        Assert.StartsWith("pk_live_", key);
        await page.ClickAsync("button.copy");
        await Expect(page.Locator("button.copy")).ToHaveTextAsync("Copied");
        Assert.Equal(key, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Screenshots.SaveAsync(page, "agent-keys-new");

        using var agent = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var started = await agent.PostAsJsonAsync("/api/ingest/run-start", new { triggerType = "key-check" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);

        // Shown once: the next visit lists the key by name and prefix, never the key itself.
        await page.GotoAsync($"/agents/{agentId}?tab=keys");
        await Expect(page.Locator("#new-key")).ToHaveCountAsync(0);
        Assert.DoesNotContain(key, await page.ContentAsync());
        var row = page.Locator("tr", new PageLocatorOptions { HasText = "browser-test" });
        await Expect(row).ToContainTextAsync(key[..16]);

        await row.Locator("button:text('Revoke')").ClickAsync();
        await page.WaitForURLAsync("**?tab=keys");
        await Expect(page.Locator("tr", new PageLocatorOptions { HasText = "browser-test" }).Locator(".badge")).ToHaveTextAsync("revoked");
        var refused = await agent.PostAsJsonAsync("/api/ingest/run-start", new { triggerType = "key-check" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
