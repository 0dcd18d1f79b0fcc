using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>Every main page, with realistic data, at laptop and phone widths; saved to docs/screenshots.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ScreenshotTourTests(DashboardHost host)
{
    [Fact]
    public async Task Every_main_page_renders_without_errors_at_laptop_and_phone_widths()
    {
        var demo = await DemoData.CreateAsync(host);
        var pages = new (string Path, string Name)[]
        {
("/", "overview"), ("/runs", "runs"), ($"/runs/{demo.CompletedRunId}", "run-timeline"), ("/approvals", "approvals"),
            ($"/approvals/{demo.ApprovalId}", "approval"), ("/policies", "policies"), ($"/policies/{demo.PolicyId}", "policy-editor"),
            ("/connectors", "connectors"), ("/agents", "agents"), ($"/agents/{demo.AgentId}?tab=keys", "agent-keys"), ("/alerts", "alerts"),
            ($"/agents/{demo.AgentId}?tab=integrations&connect=stripe", "connect-dialog"),
            ("/audit?verify=true", "audit"), ("/settings", "settings"), ("/search?q=agent", "search-results"),
        };

        var laptop = await host.SignInAsync();
        foreach (var (path, name) in pages)
        {
            var response = await laptop.GotoAsync(path);
            Assert.True(response!.Status == 200, $"{path} answered {response.Status}");
            await Expect(laptop.Locator(".alert.error")).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(laptop, name);
        }

        // The same pages in dark mode, as the toggle leaves them.
        await laptop.GotoAsync("/");
        await laptop.ClickAsync("#theme-toggle");
        foreach (var (path, name) in new[] { ("/", "dark-overview"), ("/runs", "dark-runs"), ($"/runs/{demo.CompletedRunId}", "dark-run-timeline") })
        {
            await laptop.GotoAsync(path);
            await Screenshots.SaveAsync(laptop, name);
        }

        await laptop.ClickAsync("#theme-toggle");
        await laptop.GotoAsync("/audit?verify=true");
        await Expect(laptop.Locator("#verify-result")).ToContainTextAsync("Chain intact");

        var phone = await host.SignInAsync(phone: true);
        foreach (var (path, name) in new[] { ("/", "phone-overview"), ("/runs", "phone-runs"), ($"/runs/{demo.CompletedRunId}", "phone-run-timeline"), ($"/approvals/{demo.ApprovalId}", "phone-approval"),
            ($"/agents/{demo.AgentId}?tab=integrations&connect=stripe", "phone-connect-dialog") })
        {
            await phone.GotoAsync(path);
            // Nothing wider than the screen: no sideways scrolling on a phone.
            Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways");
            await Screenshots.SaveAsync(phone, name);
        }
    }
}
