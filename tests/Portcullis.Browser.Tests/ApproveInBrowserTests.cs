using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ApproveInBrowserTests(DashboardHost host)
{
    [Fact]
    public async Task An_approver_approves_in_the_browser_the_action_executes_once_and_the_run_page_shows_it_live()
    {
        // A separate approver decides (the approver role is what this test is about).
        var approver = await host.Api().AddMemberAsync("approver");
        await host.Api().CreatePolicyAsync("Browser big refunds", "action_type = refund.create AND payload.amount > 5000 AND run.external_ref = 'TKT-BROWSER'",
            "require_approval", "refunds over $50 need a human");
        var agent = host.Api(DashboardHost.AgentKey);
        var run = await agent.StartRunAsync(externalRef: "TKT-BROWSER");
        var answer = await agent.RequestActionAsync(run, "refund.create", new { charge = "ch_3OabcEXAMPLE", amount = 7999, reason = "requested_by_customer" });
        var approvalId = answer.GetProperty("approvalRequestId").GetString();

        var runPage = await host.SignInAsync(approver, "a long enough password");
        await runPage.GotoAsync($"/runs/{run}");
        await Expect(runPage.Locator("#timeline .entry.kind-approval-requested")).ToBeVisibleAsync();

        var approvalPage = await host.SignInAsync(approver, "a long enough password");
        await approvalPage.GotoAsync($"/approvals/{approvalId}");
        await approvalPage.Locator("textarea[name=comment]").FillAsync("customer verified by phone");
        await approvalPage.Locator("button[value=approve]").ClickAsync();
        await Expect(approvalPage.Locator("body")).ToContainTextAsync("Approved");

        // The run page, opened before the decision, shows the execution without a reload.
        await Expect(runPage.Locator("#timeline .entry.kind-action-executed")).ToContainTextAsync("refund.create");

        var timeline = await (await host.Api().GetAsync($"/api/runs/{run}")).JsonAsync(HttpStatusCode.OK);
        var types = timeline.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()).ToList();
        Assert.Single(types, t => t == "action.executed");
        var approval = await (await agent.GetAsync($"/api/approvals/{approvalId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("approved", approval.GetProperty("status").GetString());
        Assert.Equal("customer verified by phone", approval.GetProperty("comment").GetString());
        Assert.Equal("executed", approval.GetProperty("execution").GetProperty("status").GetString());

        // A second click (a stale page) is refused: the request was already decided.
        await approvalPage.GotoAsync($"/approvals/{approvalId}");
        await Expect(approvalPage.Locator("button[value=approve]")).ToHaveCountAsync(0);
    }
}
