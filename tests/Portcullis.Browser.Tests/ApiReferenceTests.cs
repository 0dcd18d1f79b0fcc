using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>The browsable API reference: served from the package (nothing fetched from elsewhere), under its CSP, linked from the dashboard.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ApiReferenceTests(DashboardHost host)
{
    [Fact]
    public async Task The_api_reference_renders_the_openapi_document_offline_and_under_its_csp()
    {
        var page = await host.SignInAsync();
        var elsewhere = new List<string>();
        var violations = new List<string>();
        // Anything but this server is refused, as it would be without a network.
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(host.BaseUrl, StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                elsewhere.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };

        await page.ClickAsync(".sidebar nav a:text('API reference')");
        await page.WaitForURLAsync("**/api-reference**");
        await Expect(page.GetByText("/api/actions/request").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        var csp = (await page.EvaluateAsync<string>("() => fetch(location.href).then(r => r.headers.get('content-security-policy'))"));
        Assert.Contains("'nonce-", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Empty(violations);
        Assert.Empty(elsewhere);
        await Screenshots.SaveAsync(page, "api-reference");
    }
}
