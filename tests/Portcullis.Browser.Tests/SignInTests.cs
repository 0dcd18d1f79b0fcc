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

    [Fact]
    public async Task Changes_need_a_post_with_an_antiforgery_token_and_the_rest_api_ignores_the_cookie()
    {
        var owner = host.Api();
        var agentId = await owner.SeededAgentIdAsync();
        var keysBefore = (await (await owner.GetAsync($"/api/agents/{agentId}/keys")).JsonAsync(System.Net.HttpStatusCode.OK)).GetArrayLength();
        var page = await host.SignInAsync();

        // A GET naming a handler changes nothing.
        var get = await page.APIRequest.GetAsync($"/agents/{agentId}?handler=GenerateKey");
        Assert.Equal(200, get.Status);
        Assert.DoesNotContain("id=\"new-key\"", await get.TextAsync());

        // A POST without the antiforgery token is refused with a sentence, not a bare 400.
        var form = page.APIRequest.CreateFormData();
        form.Set("keyName", "forged");
        var forged = await page.APIRequest.PostAsync($"/agents/{agentId}?handler=GenerateKey", new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);
        Assert.Contains("Reload the page and try again", await forged.TextAsync());
        var keysAfter = (await (await owner.GetAsync($"/api/agents/{agentId}/keys")).JsonAsync(System.Net.HttpStatusCode.OK)).GetArrayLength();
        Assert.Equal(keysBefore, keysAfter);

        // The session cookie never authenticates the REST API (bearer tokens only), so it cannot be ridden from another site.
        var api = await page.APIRequest.GetAsync("/api/workspace");
        Assert.Equal(401, api.Status);

        // Signed in already: the sign-in page sends you on.
        await page.GotoAsync("/login?returnUrl=%2Fsettings");
        await page.WaitForURLAsync("**/settings");
    }
}
