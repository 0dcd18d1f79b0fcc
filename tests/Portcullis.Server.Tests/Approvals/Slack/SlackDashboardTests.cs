using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Approvals.Slack;

/// <summary>Settings → Slack in the dashboard: a member links their Slack user id through the form; the app's secrets never show.</summary>
public sealed class SlackDashboardTests(SlackServer.Sqlite server) : IClassFixture<SlackServer.Sqlite>
{
    private static string Token(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    [Fact]
    public async Task A_member_links_a_slack_user_id_on_the_slack_settings_page_which_shows_the_app_without_secrets()
    {
        var ws = await server.NewWorkspaceAsync();
        var secret = await SlackServer.ConnectAsync(ws, channel: "refunds");
        var email = $"dash-{Guid.NewGuid():n}@example.com";
        await ws.Owner().AddMemberAsync(server.Anonymous(), email, "approver", "dash");
        using var browser = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = "a long enough password", ["__RequestVerificationToken"] = Token(await browser.GetStringAsync("/login")),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var page = await browser.GetStringAsync("/settings/slack");
        Assert.Contains("Your Slack identity", page);
        Assert.Contains("refunds", page);
        Assert.DoesNotContain(secret, page);
        Assert.DoesNotContain(SlackServer.BotToken(ws), page);
        Assert.DoesNotContain("name=\"botToken\"", page);

        var saved = await browser.PostAsync("/settings/slack?handler=Link", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["slackUserId"] = "U0DASHBOARD1", ["__RequestVerificationToken"] = Token(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(1, await server.ScalarAsync<long>(
            "SELECT COUNT(*) FROM slack_user_links WHERE workspace_id = @WorkspaceId AND slack_user_id = 'U0DASHBOARD1'", new { ws.WorkspaceId }));

        var refused = await browser.PostAsync("/settings/slack?handler=Link", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["slackUserId"] = "not an id", ["__RequestVerificationToken"] = Token(await browser.GetStringAsync("/settings/slack")),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
