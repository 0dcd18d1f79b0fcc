using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>The header's search box and the flash messages' kinds.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SearchTests(DashboardHost host)
{
    [Fact]
    public async Task The_search_box_jumps_to_a_single_match_and_lists_several()
    {
        var agent = host.Api(DashboardHost.AgentKey);
        var externalRef = $"SRCH-{Guid.NewGuid():n}";
        var run = await agent.StartRunAsync(externalRef: externalRef);
        var owner = host.Api();
        await owner.CreatePolicyAsync($"Search check {Guid.NewGuid():n}", "action_type = search.check", "require_approval", "a person looks");
        var approvalId = (await agent.RequestActionAsync(run, "search.check", new { amount = 4200, to = "pat@customer.example" }))
            .GetProperty("approvalRequestId").GetString()!;

        var page = await host.SignInAsync();
        await Search(page, externalRef);
        await page.WaitForURLAsync($"**/runs/{run}");
        await Search(page, run);
        await page.WaitForURLAsync($"**/runs/{run}");
        await Search(page, approvalId);
        await page.WaitForURLAsync($"**/approvals/{approvalId}");

        var tag = Guid.NewGuid().ToString("n")[..8];
        foreach (var name in new[] { $"alpha-{tag}", $"beta-{tag}" })
        {
            await (await owner.PostAsJsonAsync("/api/agents", new { name })).JsonAsync(System.Net.HttpStatusCode.Created);
        }

        await Search(page, tag.ToUpperInvariant());
        await page.WaitForURLAsync("**/search?q=*");
        await Expect(page.Locator(".results li")).ToHaveCountAsync(2);
        await Expect(page.Locator(".results")).ToContainTextAsync($"alpha-{tag}");
        await Screenshots.SaveAsync(page, "search");
        await Search(page, "no-such-thing-anywhere");
        await Expect(page.Locator(".empty")).ToContainTextAsync("Nothing in this workspace matches");

        // The queue's row says what the request is about before it is opened.
        await page.GotoAsync("/approvals");
        await Expect(page.Locator($"tr[data-id='{approvalId}'] .summary")).ToHaveTextAsync("amount 42.00 · to pat@customer.example");
    }

    [Fact]
    public async Task A_warning_and_an_error_each_show_in_their_own_style()
    {
        var policyId = await host.Api().CreatePolicyAsync($"Flash check {Guid.NewGuid():n}", "action_type = flash.check", "block");
        var page = await host.SignInAsync();
        await page.GotoAsync("/policies");
        var row = page.Locator("tr", new PageLocatorOptions { Has = page.Locator($"a[href='/policies/{policyId}']") });
        await row.Locator("button:text('Disable')").ClickAsync();
        await Expect(page.Locator(".alert.warn[role=alert]")).ToContainTextAsync("is now disabled");
        await row.Locator("button:text('Enable')").ClickAsync();
        await Expect(page.Locator(".alert.ok[role=status]")).ToContainTextAsync("is now enabled");
        Assert.NotEqual(await ColourAsync(page, ".alert.ok"), await WarnColourAsync(page));
    }

    private static async Task Search(IPage page, string text)
    {
        await page.FillAsync("header .search input[name=q]", text);
        await page.PressAsync("header .search input[name=q]", "Enter");
    }

    private static Task<string> ColourAsync(IPage page, string selector) =>
        page.EvalOnSelectorAsync<string>(selector, "e => getComputedStyle(e).backgroundColor");

    // The warning's colour, read from a probe element with the same classes.
    private static Task<string> WarnColourAsync(IPage page) => page.EvaluateAsync<string>(
        "() => { const p = document.createElement('p'); p.className = 'alert warn'; document.body.append(p); return getComputedStyle(p).backgroundColor; }");
}
