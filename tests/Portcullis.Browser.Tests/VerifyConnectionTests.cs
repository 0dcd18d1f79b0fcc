using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class VerifyConnectionTests(DashboardHost host)
{
    [Fact]
    public async Task A_failed_verification_is_shown_as_a_failure_and_demo_mode_only_simulates_it()
    {
        // A webhook nothing answers (port 9 on loopback, an allowed target in these tests): live verification must fail.
        var created = await (await host.Api().PostAsJsonAsync("/api/credentials",
            new { provider = "webhook", name = "Unreachable hook", secrets = new { baseUrl = "http://127.0.0.1:9/hooks" } })).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var page = await host.SignInAsync();
        var card = page.Locator($".credential[data-credential-id='{id}']");
        try
        {
            await SetModeAsync("live");
            await page.GotoAsync("/connectors");
            await card.Locator("button:text('Verify Connection')").ClickAsync();

            await page.WaitForURLAsync("**/connectors");
            await Expect(page.Locator(".alert.error")).ToContainTextAsync("Verification failed");
            await Expect(page.Locator(".alert.ok")).ToHaveCountAsync(0);
            await Expect(card.Locator(".badge.bad")).ToHaveTextAsync("verify failed");
            await Expect(card.Locator(".badge.ok")).ToHaveCountAsync(0);

            await SetModeAsync("demo");
            await card.Locator("button:text('Verify Connection')").ClickAsync();

            await page.WaitForURLAsync("**/connectors");
            await Expect(page.Locator(".alert.ok")).ToContainTextAsync("demo mode (simulated, nothing sent");
            await Expect(card.Locator(".badge.bad")).ToHaveTextAsync("verify failed");
        }
        finally
        {
            await SetModeAsync("demo");
        }
    }

    private async Task SetModeAsync(string mode) =>
        await (await host.Api().PatchAsJsonAsync("/api/workspace/settings", new { connectorMode = mode })).JsonAsync(HttpStatusCode.OK);
}
