using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>Several workspaces: create one from the dashboard, switch with the header's menu; invite someone who accepts by the link.</summary>
[Collection(DashboardCollection.Name)]
public sealed class WorkspacesInBrowserTests(DashboardHost host)
{
    [Fact]
    public async Task The_owner_creates_a_workspace_lands_in_it_empty_and_switches_back_with_the_header_menu()
    {
        var name = $"Browser team {Guid.NewGuid():n}"[..20];
        var page = await host.SignInAsync();
        await page.GotoAsync("/workspaces");
        await page.FillAsync("form[action*=Create] input[name=name]", name);
        await page.ClickAsync("button:text('Create workspace')");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync($"Created workspace {name}");
        await Expect(page.Locator(".sidebar .workspace")).ToHaveTextAsync(name);
        await Expect(page.Locator(".sidebar .role")).ToHaveTextAsync("owner");
        await page.GotoAsync("/agents");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("demo-agent");

        // The menu submits on change and stays in the same section.
        await page.SelectOptionAsync(".workspace-switcher select", new Microsoft.Playwright.SelectOptionValue { Label = "Demo workspace" });
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/agents");
        await Expect(page.Locator(".sidebar .workspace")).ToHaveTextAsync("Demo workspace");
        await Expect(page.Locator("main")).ToContainTextAsync("demo-agent");
        var mine = await (await host.Api().GetAsync("/api/workspaces")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(mine.EnumerateArray(), w => w.GetProperty("name").GetString() == name && w.GetProperty("role").GetString() == "owner");
    }

    [Fact]
    public async Task An_invited_person_opens_the_link_once_sets_a_password_and_joins_with_the_role()
    {
        var email = $"invitee-{Guid.NewGuid():n}@dashboard.example";
        var owner = await host.SignInAsync();
        await owner.GotoAsync("/invitations");
        await owner.FillAsync("main input[name=email]", email);
        await owner.SelectOptionAsync("main select[name=role]", "approver");
        await owner.ClickAsync("button:text('Invite member')");
        var link = await owner.InputValueAsync("#invite-link");
        Assert.Contains("/invitations/accept?token=piv_", link);
        await Expect(owner.Locator("tr", new() { HasText = email })).ToContainTextAsync("pending");

        var invitee = await host.NewPageAsync();
        await invitee.GotoAsync(link);
        await invitee.FillAsync("input[name=name]", "Ivy Invitee");
        await invitee.FillAsync("input[name=password]", "a long enough password");
        await invitee.ClickAsync("button:text('Create account and join')");

        await invitee.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(invitee.Locator(".sidebar .role")).ToHaveTextAsync("approver");
        await Expect(invitee.Locator(".sidebar .email")).ToHaveTextAsync(email);
        var again = await (await host.NewPageAsync()).GotoAsync(link);
        Assert.Equal(410, again!.Status);
    }

    [Fact]
    public async Task An_existing_user_signs_in_from_the_link_accepts_and_lands_in_the_new_workspace()
    {
        // A member of the demo workspace is invited to another one that the owner created.
        var email = await host.Api().AddMemberAsync("viewer");
        var created = await (await host.Api().PostAsJsonAsync("/api/workspaces", new { name = "Plant floor" })).JsonAsync(HttpStatusCode.Created);
        var session = await (await host.Api().PostAsync($"/api/workspaces/{created.GetProperty("id").GetString()}/switch", null)).JsonAsync(HttpStatusCode.OK);
        var invitation = await (await host.Api(session.GetProperty("token").GetString()!).PostAsJsonAsync("/api/workspace/members", new { email, role = "approver" }))
            .JsonAsync(HttpStatusCode.Created);

        var page = await host.NewPageAsync();
        await page.GotoAsync(invitation.GetProperty("acceptUrl").GetString()!);
        await Expect(page.Locator("main")).ToContainTextAsync("This email already has an account");
        Assert.Equal(0, await page.Locator("input[name=password]").CountAsync());
        await page.ClickAsync("a:text('Sign in to accept')");
        await page.FillAsync("input[name=email]", email);
        await page.FillAsync("input[name=password]", "a long enough password");
        await page.ClickAsync("button[type=submit]");
        await page.ClickAsync("button:text('Accept and join')");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.Locator(".sidebar .workspace")).ToHaveTextAsync("Plant floor");
        await Expect(page.Locator(".sidebar .role")).ToHaveTextAsync("approver");
        await Expect(page.Locator(".workspace-switcher option")).ToHaveTextAsync(["Demo workspace", "Plant floor"]);
    }
}
