using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>The approval page shows the short digest and the approver group; the settings page manages approver groups.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ApprovalBindingInBrowserTests(DashboardHost host)
{
    [Fact]
    public async Task An_admin_creates_an_approver_group_and_the_approval_page_shows_it_with_the_short_digest()
    {
        var groupName = $"finance-{Guid.NewGuid():n}"[..20];
        var settings = await host.SignInAsync();
        await settings.GotoAsync("/settings");
        await settings.Locator("input[name=groupName]").FillAsync(groupName);
        await settings.Locator("#approver-groups input[name=userIds]").First.CheckAsync();
        await settings.Locator("#approver-groups button.primary").ClickAsync();
        await Expect(settings.Locator("#approver-groups")).ToContainTextAsync(groupName);

        var policy = await host.Api().PostAsJsonAsync("/api/policies", new
        {
            name = $"grouped {groupName}", condition = "action_type = refund.create AND run.external_ref = 'TKT-GROUPED'",
            decision = "require_approval", approverGroup = groupName,
        });
        Assert.Equal(HttpStatusCode.Created, policy.StatusCode);
        var agent = host.Api(DashboardHost.AgentKey);
        var run = await agent.StartRunAsync(externalRef: "TKT-GROUPED");
        var answer = await agent.RequestActionAsync(run, "refund.create", new { charge = "ch_3OabcEXAMPLE", amount = 7999, reason = "requested_by_customer" });
        var approvalId = answer.GetProperty("approvalRequestId").GetString();
        var approval = await (await agent.GetAsync($"/api/approvals/{approvalId}")).JsonAsync(HttpStatusCode.OK);
        var digest = approval.GetProperty("argumentsDigest").GetString()!;

        var page = await host.SignInAsync();
        await page.GotoAsync($"/approvals/{approvalId}");
        await Expect(page.Locator("#arguments-digest")).ToHaveTextAsync(digest[..12]);
        await Expect(page.Locator("#arguments-digest")).ToHaveAttributeAsync("title", digest);
        await Expect(page.Locator("#approver-group")).ToHaveTextAsync(groupName);
    }
}
