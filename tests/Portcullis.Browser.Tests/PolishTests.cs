using System.Net;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>Dark mode, the phone menu, the 404 page, local times and the favicon.</summary>
[Collection(DashboardCollection.Name)]
public sealed class PolishTests(DashboardHost host)
{
    private const string DarkBackground = "rgb(15, 19, 27)";
    private const string LightBackground = "rgb(245, 246, 248)";

    // Records the theme at the moment <body> appears: set by then, the first paint has the right colours.
    private const string ThemeAtBody =
        "new MutationObserver((_, o) => { if (document.body) { window.themeAtBody = document.documentElement.getAttribute('data-theme') || 'none'; o.disconnect(); } })" +
        ".observe(document, { childList: true, subtree: true });";

    [Fact]
    public async Task Dark_mode_follows_the_system_and_the_toggle_is_remembered_without_a_flash()
    {
        var page = await host.SignInAsync();
        await page.Context.AddInitScriptAsync(ThemeAtBody);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await page.ReloadAsync();
        Assert.Equal(DarkBackground, await BackgroundAsync(page));
        await Expect(page.Locator("#theme-toggle")).ToHaveTextAsync("Light mode");
        await Screenshots.SaveAsync(page, "overview-dark");

        await page.ClickAsync("#theme-toggle");
        Assert.Equal(LightBackground, await BackgroundAsync(page));
        await page.ReloadAsync();
        Assert.Equal(LightBackground, await BackgroundAsync(page));
        Assert.Equal("light", await page.EvaluateAsync<string>("() => window.themeAtBody"));

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
        await page.ClickAsync("#theme-toggle");
        await page.GotoAsync("/runs");
        Assert.Equal(DarkBackground, await BackgroundAsync(page));
        Assert.Equal("dark", await page.EvaluateAsync<string>("() => window.themeAtBody"));
        Assert.Equal("dark", await page.EvaluateAsync<string>("() => localStorage.getItem('portcullis-theme')"));
    }

    [Fact]
    public async Task On_a_phone_the_navigation_folds_behind_a_menu_button()
    {
        var page = await host.SignInAsync(phone: true);
        var nav = page.Locator(".sidebar nav");
        await Expect(page.Locator("#menu-button")).ToBeVisibleAsync();
        await Expect(nav).ToBeHiddenAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the overview scrolls sideways");
        await Screenshots.SaveAsync(page, "phone-menu-closed");

        await page.ClickAsync("#menu-button");
        await Expect(nav).ToBeVisibleAsync();
        await Expect(page.Locator("#menu-button")).ToHaveAttributeAsync("aria-expanded", "true");
        await Screenshots.SaveAsync(page, "phone-menu");
        await page.ClickAsync(".sidebar nav a:text('Alerts')");
        await page.WaitForURLAsync("**/alerts");

        var laptop = await host.SignInAsync();
        await Expect(laptop.Locator("#menu-button")).ToBeHiddenAsync();
        await Expect(laptop.Locator(".sidebar nav")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Unknown_dashboard_addresses_answer_a_page_and_unknown_api_addresses_problem_details()
    {
        var page = await host.SignInAsync();
        var response = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
        Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);

        var api = await host.Api().GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);

        var icon = await page.GotoAsync(await page.Locator("link[rel=icon]").GetAttributeAsync("href") ?? "/missing");
        Assert.Equal(200, icon!.Status);
        Assert.Equal("image/svg+xml", icon.Headers["content-type"]);
    }

    [Fact]
    public async Task Times_show_in_the_viewers_zone_with_the_exact_time_on_hover()
    {
        var agent = host.Api(DashboardHost.AgentKey);
        var externalRef = $"TZ-{Guid.NewGuid():n}";
        await agent.StartRunAsync(externalRef: externalRef);

        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseUrl, TimezoneId = "Asia/Tokyo" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=email]", DashboardHost.OwnerEmail);
        await page.FillAsync("input[name=password]", DashboardHost.OwnerPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await page.GotoAsync($"/runs?externalRef={externalRef}");

        var time = page.Locator("td[data-label=Started] time");
        var iso = await time.GetAttributeAsync("datetime");
        var tokyo = DateTimeOffset.Parse(iso!, System.Globalization.CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(9));
        await Expect(time).ToHaveTextAsync(tokyo.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(time).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("Japan Standard Time|GMT\\+0900"));
        await context.CloseAsync();
    }

    private static Task<string> BackgroundAsync(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
