using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>A shadow policy on the Policies page: its count of changed requests, the page listing them, and Enforce.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ShadowPolicyTests(DashboardHost host)
{
    [Fact]
    public async Task A_shadow_policy_shows_what_it_would_have_changed_and_is_enforced_with_one_click()
    {
        var name = $"shadow-{Guid.NewGuid():n}"[..16];
        var created = await host.Api().PostAsJsonAsync("/api/policies", new
        {
            name, condition = "action_type = refund.create AND payload.amount = 4242", decision = "block", mode = "shadow",
        });
        var policyId = (await created.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var agent = host.Api(DashboardHost.AgentKey);
        var runId = await agent.StartRunAsync("shadow-check");
        var answer = await agent.RequestActionAsync(runId, "refund.create", new { charge = "ch_shadow", amount = 4242 });
        Assert.NotEqual("block", answer.GetProperty("decision").GetString());

        var page = await host.SignInAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/policies");
        var row = page.Locator("tr", new PageLocatorOptions { HasText = name });
        await Expect(row.Locator(".badge.shadow")).ToHaveTextAsync("shadow");
        await Expect(row.Locator("a.shadow-changes")).ToHaveTextAsync("would have changed 1 in 7 days");

        await row.Locator("a.shadow-changes").ClickAsync();
        await page.WaitForURLAsync($"**/policies/{policyId}/shadow");
        var changed = page.Locator($"tr[data-action-request-id='{answer.GetProperty("actionRequestId").GetString()}']");
        await Expect(changed.Locator("td[data-label='Would have been']")).ToHaveTextAsync("block");
        await Expect(changed.Locator($"a[href='/runs/{runId}']")).ToBeVisibleAsync();

        await page.GotoAsync("/policies");
        await page.Locator("tr", new PageLocatorOptions { HasText = name }).Locator("button:text('Enforce')").ClickAsync();
        await page.WaitForURLAsync("**/policies");
        await Expect(page.Locator("tr", new PageLocatorOptions { HasText = name }).Locator("td.mode")).ToHaveTextAsync("enforce");
        var enforced = await agent.RequestActionAsync(runId, "refund.create", new { charge = "ch_shadow", amount = 4242 });
        Assert.Equal("block", enforced.GetProperty("decision").GetString());
    }
}
