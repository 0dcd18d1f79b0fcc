using Microsoft.Extensions.DependencyInjection;
using Portcullis.Browser.Tests.Infrastructure;
using Portcullis.Server.Features.Dashboard;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ApprovalQueueTests(DashboardHost host)
{
    [Fact]
    public async Task A_request_under_a_require_approval_policy_appears_in_the_open_queue_without_a_reload()
    {
        var page = await host.SignInAsync();
        await page.GotoAsync("/approvals");
        await page.EvaluateAsync("() => { window.stillTheSamePage = true; }");

        await host.Api().CreatePolicyAsync("Queue check", "action_type = queue.check AND payload.amount > 100", "require_approval",
            "payouts over 100 need a person");
        var agent = host.Api(DashboardHost.AgentKey);
        var run = await agent.StartRunAsync();
        var answer = await agent.RequestActionAsync(run, "queue.check", new { amount = 250, currency = "usd" }, new { ticket = "T-1" });
        Assert.Equal("require_approval", answer.GetProperty("decision").GetString());
        var approvalId = answer.GetProperty("approvalRequestId").GetString();

        var row = page.Locator($"#approval-queue tr[data-id='{approvalId}']");
        await Expect(row).ToContainTextAsync("queue.check");
        await Expect(row).ToContainTextAsync("payouts over 100 need a person");
        await Expect(page.Locator("#pending-count")).Not.ToHaveTextAsync("0");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));

        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync($"**/approvals/{approvalId}");
        await Expect(page.Locator("pre.json").First).ToContainTextAsync("\"amount\": 250");
        await Expect(page.Locator(".matched")).ToContainTextAsync("Queue check");
        if (host.Services.GetService<IApprovalDecider>() is null)
        {
            await Expect(page.Locator(".note")).ToHaveTextAsync("Approvals are not available on this server yet.");
        }
        else
        {
            await Expect(page.Locator("button[value=approve]")).ToBeVisibleAsync();
        }
    }
}
