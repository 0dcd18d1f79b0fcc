using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>
/// A member who may not approve is told why before they click (the self-approval rule, in the words of Settings and the
/// API's refusal), and a refused decision keeps the comment they typed.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SelfApprovalInBrowserTests(DashboardHost host)
{
    [Fact]
    public async Task The_owner_of_the_agent_sees_why_approve_is_off_and_a_refused_decision_keeps_the_comment()
    {
        // An agent the owner creates is the owner's: the default rule forbids them to approve its actions.
        var owner = host.Api();
        var agentId = (await (await owner.PostAsJsonAsync("/api/agents", new { name = "owned-by-owner" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        var key = (await (await owner.PostAsJsonAsync($"/api/agents/{agentId}/keys", new { name = "browser" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("key").GetString()!;
        await owner.CreatePolicyAsync("Self-approval refunds", "action_type = refund.create AND run.external_ref = 'TKT-SELF'", "require_approval");
        var agent = host.Api(key);
        var run = await agent.StartRunAsync(externalRef: "TKT-SELF");
        var approvalId = (await agent.RequestActionAsync(run, "refund.create", new { charge = "ch_self", amount = 1200 }))
            .GetProperty("approvalRequestId").GetString();

        var page = await host.SignInAsync();
        await page.GotoAsync($"/approvals/{approvalId}");

        await Expect(page.Locator(".note.self-approval")).ToContainTextAsync("You own the agent that requested this action");
        await Expect(page.Locator("dd time[datetime]")).ToHaveCountAsync(2); // requested and expires, in the viewer's zone
        await Expect(page.Locator("button[value=approve]")).ToBeDisabledAsync();

        // The rule also holds against a forged click: the refusal is shown and the comment typed stays.
        await page.Locator("button[value=approve]").EvaluateAsync("b => b.disabled = false");
        await page.Locator("textarea[name=comment]").FillAsync("looks fine to me");
        await page.Locator("button[value=approve]").ClickAsync();
        await Expect(page.Locator(".alert.error, .problem, [role=alert]").First).ToContainTextAsync("forbids self-approval");
        await Expect(page.Locator("textarea[name=comment]")).ToHaveValueAsync("looks fine to me");
    }

    [Fact]
    public async Task A_member_outside_the_approver_group_is_told_so_and_gets_no_buttons()
    {
        var group = $"treasury-{Guid.NewGuid():n}"[..20];
        var approverEmail = await host.Api().AddMemberAsync("approver");
        var members = await (await host.Api().GetAsync("/api/workspace/members")).JsonAsync(HttpStatusCode.OK);
        var approverId = members.EnumerateArray().Single(m => m.GetProperty("email").GetString() == approverEmail).GetProperty("userId").GetString();
        await (await host.Api().PostAsJsonAsync("/api/approver-groups", new { name = group, userIds = new[] { approverId } })).JsonAsync(HttpStatusCode.Created);
        var policy = await host.Api().PostAsJsonAsync("/api/policies", new
        {
            name = $"grouped {group}", condition = "action_type = refund.create AND run.external_ref = 'TKT-OUTSIDE'",
            decision = "require_approval", approverGroup = group,
        });
        Assert.Equal(HttpStatusCode.Created, policy.StatusCode);
        var agent = host.Api(DashboardHost.AgentKey);
        var run = await agent.StartRunAsync(externalRef: "TKT-OUTSIDE");
        var approvalId = (await agent.RequestActionAsync(run, "refund.create", new { charge = "ch_outside", amount = 1200 }))
            .GetProperty("approvalRequestId").GetString();

        var page = await host.SignInAsync();
        await page.GotoAsync($"/approvals/{approvalId}");

        await Expect(page.Locator(".note.outside-group")).ToContainTextAsync($"Only members of the approver group {group} decide this request");
        await Expect(page.Locator("button[value=approve], button[value=reject]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_frozen_agent_s_held_action_says_why_it_cannot_be_approved()
    {
        await host.Api().CreatePolicyAsync("Frozen refunds", "action_type = refund.create AND run.external_ref = 'TKT-FROZEN'", "require_approval");
        var agent = host.Api(DashboardHost.AgentKey);
        var run = await agent.StartRunAsync(externalRef: "TKT-FROZEN");
        var approvalId = (await agent.RequestActionAsync(run, "refund.create", new { charge = "ch_frozen", amount = 1200 }))
            .GetProperty("approvalRequestId").GetString();
        var agentId = await host.Api().SeededAgentIdAsync();
        await (await host.Api().PostAsJsonAsync($"/api/agents/{agentId}/freeze", new { reason = "incident 12" })).JsonAsync(HttpStatusCode.OK);
        try
        {
            var page = await host.SignInAsync();
            await page.GotoAsync($"/approvals/{approvalId}");

            await Expect(page.Locator(".note.frozen")).ToContainTextAsync("The agent is frozen (incident 12)");
            await Expect(page.Locator("button[value=approve]")).ToBeDisabledAsync();
            await Expect(page.Locator("button[value=reject]")).ToBeEnabledAsync();
        }
        finally
        {
            await host.Api().PostAsJsonAsync($"/api/agents/{agentId}/unfreeze", new { });
        }
    }
}
