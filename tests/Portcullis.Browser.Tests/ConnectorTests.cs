using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ConnectorTests(DashboardHost host)
{
    [Fact]
    public async Task Connecting_a_stripe_key_shows_only_its_masked_hint_and_it_can_be_linked_to_an_agent()
    {
        const string secret = "sk_test_51Hk2BrowserTestSecretValue9f3a4242";
        var page = await host.SignInAsync();
        await page.GotoAsync("/connectors");
        var stripe = page.Locator("#provider-stripe");
        await stripe.Locator("details.connect summary").ClickAsync();
        await stripe.Locator("input[name=name]").FillAsync("Stripe production");
        await stripe.Locator("input[name=apiKey]").FillAsync(secret);
        await stripe.Locator("details.connect button[type=submit]").ClickAsync();

        await page.WaitForURLAsync("**/connectors");
        await Expect(page.Locator(".alert.ok")).ToHaveTextAsync("Connected Stripe production (Stripe, sk_…4242).");
        var card = stripe.Locator(".credential", new LocatorLocatorOptions { HasText = "Stripe production" }).Last;
        await Expect(card.Locator(".hint")).ToHaveTextAsync("sk_…4242");
        Assert.DoesNotContain(secret[8..20], await page.ContentAsync());

        // Reuse it from an agent's Integrations tab: Ready to Link, then Connected.
        var agentId = await host.Api().SeededAgentIdAsync();
        var credentialId = await card.GetAttributeAsync("data-credential-id");
        await page.GotoAsync($"/agents/{agentId}");
        var ready = page.Locator($".credential[data-credential-id='{credentialId}']");
        await ready.Locator("button:text('Link')").ClickAsync();
        await page.WaitForURLAsync("**?tab=integrations");
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("Linked");
        await Expect(page.Locator($".credential[data-credential-id='{credentialId}'] button:text('Disconnect')")).ToBeVisibleAsync();
        Assert.DoesNotContain(secret[8..20], await page.ContentAsync());
        await Screenshots.SaveAsync(page, "agent-integrations");
    }
}
