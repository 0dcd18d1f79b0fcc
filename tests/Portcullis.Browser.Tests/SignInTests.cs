using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class SignInTests(DashboardHost host)
{
    [Fact]
    public async Task An_owner_signs_in_sees_the_workspace_and_role_and_signs_out()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/policies");
        await page.WaitForURLAsync("**/login?returnUrl=%2Fpolicies");
        await Screenshots.SaveAsync(page, "sign-in");

        await page.FillAsync("input[name=email]", DashboardHost.OwnerEmail);
        await page.FillAsync("input[name=password]", "not the password");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator(".alert.error")).ToHaveTextAsync("The email or password is not correct.");

        await page.FillAsync("input[name=password]", DashboardHost.OwnerPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/policies");
        await Expect(page.Locator(".sidebar .workspace")).ToHaveTextAsync("Demo workspace");
        await Expect(page.Locator(".sidebar .role")).ToHaveTextAsync("owner");
        await Expect(page.Locator(".sidebar .email")).ToHaveTextAsync(DashboardHost.OwnerEmail);

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "portcullis_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.StartsWith("pcs_", cookie.Value);

        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync("**/login");
        // The session was revoked on the server, not only forgotten by the browser.
        using var api = host.Api(cookie.Value);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("/api/workspace")).StatusCode);
        await page.GotoAsync("/runs");
        await page.WaitForURLAsync("**/login?returnUrl=%2Fruns");
    }
}
