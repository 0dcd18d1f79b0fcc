using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Browser.Tests.Infrastructure;
using Portcullis.Storage;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ViewerTests(DashboardHost host)
{
    [Fact]
    public async Task A_viewer_sees_everything_but_has_nothing_to_click_and_crafted_posts_are_refused()
    {
        var owner = host.Api();
        var agentId = await owner.SeededAgentIdAsync();
        await owner.CreatePolicyAsync("Viewer check", "action_type = viewer.check", "require_approval", "a person looks at viewer checks");
        var agent = host.Api(DashboardHost.AgentKey);
        var run = await agent.StartRunAsync();
        var approvalId = (await agent.RequestActionAsync(run, "viewer.check", new { amount = 1 })).GetProperty("approvalRequestId").GetString()!;
        var email = await owner.AddMemberAsync("viewer");

        var page = await host.SignInAsync(email, "a long enough password");
        await Expect(page.Locator(".sidebar .role")).ToHaveTextAsync("viewer");
        await Expect(page.Locator(".sidebar a:text('Audit log')")).ToHaveCountAsync(0);

        await page.GotoAsync($"/approvals/{approvalId}");
        await Expect(page.Locator("h1")).ToContainTextAsync("viewer.check");
        await Expect(page.Locator(".note")).ToHaveTextAsync("Your role (viewer) can see this request but not decide it.");
        await Expect(page.Locator("button[value=approve]")).ToHaveCountAsync(0);
        await Expect(page.Locator("button[value=reject]")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "approval-as-viewer");

        // A hand-made POST with a valid antiforgery token still meets the server's role check.
        var token = await page.GetAttributeAsync("meta[name=request-token]", "content");
        foreach (var action in new[]
        {
            $"/approvals/{approvalId}?handler=Decide", $"/agents/{agentId}?handler=GenerateKey", "/policies/new?handler=Save",
            "/settings?handler=Settings", "/connectors?handler=Connect", $"/agents/{agentId}?handler=Link",
        })
        {
            var form = page.APIRequest.CreateFormData();
            form.Set("decision", "approve");
            form.Set("name", "sneaky");
            form.Set("__RequestVerificationToken", token!);
            var response = await page.APIRequest.PostAsync(action, new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
            Assert.True(response.Status == 403, $"{action} answered {response.Status}");
            Assert.Contains("Your role (viewer) cannot do this", await response.TextAsync());
        }

        await using (var connection = await host.Services.GetRequiredService<Database>().OpenAsync())
        {
            Assert.Equal("pending", await connection.QueryFirstAsync<string>("SELECT status FROM approvals WHERE id = @approvalId", new { approvalId }));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM policies WHERE name = 'sneaky'"));
        }

        await page.GotoAsync("/policies/new");
        await Expect(page.Locator("#save")).ToHaveCountAsync(0);
        await page.GotoAsync($"/agents/{agentId}?tab=keys");
        await Expect(page.Locator("text=Generate API key")).ToHaveCountAsync(0);
        await page.GotoAsync("/settings");
        await Expect(page.Locator("button:text('Save settings')")).ToHaveCountAsync(0);
        var audit = await page.GotoAsync("/audit");
        Assert.Equal(403, audit!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not allowed");
    }
}
