using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>Settings → Event subscriptions: an admin creates a subscription, sends a test event, sees it delivered, and deletes it.</summary>
[Collection(DashboardCollection.Name)]
public sealed class EventSubscriptionsInBrowserTests(DashboardHost host)
{
    [Fact]
    public async Task An_admin_subscribes_a_receiver_sends_a_test_event_sees_the_delivery_and_deletes_the_subscription()
    {
        var received = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.Run(async http =>
        {
            received.Enqueue(await new StreamReader(http.Request.Body).ReadToEndAsync());
            http.Response.StatusCode = 204;
        });
        await receiver.StartAsync();
        var url = receiver.Urls.Single() + "/portcullis-events";

        var page = await host.SignInAsync();
        await page.GotoAsync("/settings");
        await page.Locator("a:text('Manage event subscriptions')").ClickAsync();
        await page.Locator("input[name=url]").FillAsync(url);
        await page.Locator("input[name=types][value='run.started']").CheckAsync();
        await page.Locator("input[name=types][value='action.executed']").CheckAsync();
        await page.Locator("button:text('Create subscription')").ClickAsync();
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("Subscription created");
        var row = page.Locator("#subscriptions tr", new() { HasText = url });
        await Expect(row).ToContainTextAsync("action.executed, run.started");

        await row.Locator("button:text('Send test event')").ClickAsync();
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("Test event queued");
        var delivered = page.Locator("#deliveries tr", new() { HasText = "dev.portcullis.subscription.test" }).Locator(".badge:text('delivered')");
        for (var i = 0; i < 50 && await delivered.CountAsync() == 0; i++)
        {
            await Task.Delay(200);
            await page.ReloadAsync();
        }

        await Expect(delivered).ToHaveCountAsync(1);
        Assert.Contains(received, body => body.Contains("\"type\":\"dev.portcullis.subscription.test\"", StringComparison.Ordinal));

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator("#subscriptions tr", new() { HasText = url }).Locator("button:text('Delete')").ClickAsync();
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("Subscription deleted");
        await Expect(page.Locator("#subscriptions tr", new() { HasText = url })).ToHaveCountAsync(0);
    }
}
