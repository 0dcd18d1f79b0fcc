using System.Net;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>Members are editable and removable from Settings: the role menu, and Remove after a confirmation.</summary>
[Collection(DashboardCollection.Name)]
public sealed class MembersInBrowserTests(DashboardHost host)
{
    [Fact]
    public async Task The_owner_changes_a_role_and_removes_a_member_after_confirming()
    {
        var email = await host.Api().AddMemberAsync("viewer");

        var page = await host.SignInAsync();
        await page.GotoAsync("/settings");
        var row = page.Locator("tr", new() { HasText = email });
        await row.Locator("select[name=role]").SelectOptionAsync("approver");
        await row.Locator("button:text('Change')").ClickAsync();
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("Role changed to approver");

        // Declining the confirmation removes nothing; accepting it removes the member.
        page.Dialog += (_, dialog) => _ = dialog.Message.Contains("Remove", StringComparison.Ordinal) && accept ? dialog.AcceptAsync() : dialog.DismissAsync();
        await page.Locator("tr", new() { HasText = email }).Locator($"button[aria-label='Remove {email}']").ClickAsync();
        await Expect(page.Locator("tr", new() { HasText = email })).ToHaveCountAsync(1);
        accept = true;
        await page.Locator("tr", new() { HasText = email }).Locator($"button[aria-label='Remove {email}']").ClickAsync();

        await Expect(page.Locator(".alert.ok")).ToContainTextAsync($"Removed {email}");
        await Expect(page.Locator("tr", new() { HasText = email })).ToHaveCountAsync(0);
        var after = await (await host.Api().GetAsync("/api/workspace/members")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(after.EnumerateArray(), m => m.GetProperty("email").GetString() == email);
    }

    private bool accept;
}
