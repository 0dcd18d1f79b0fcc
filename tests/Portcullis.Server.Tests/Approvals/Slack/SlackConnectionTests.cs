using System.Net;
using Portcullis.Server.Features.Approvals.Slack;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Approvals.Slack;

/// <summary>Connecting the Slack app (admin, secrets never shown) and members linking their Slack user id.</summary>
public abstract class SlackConnectionTests(SlackServer server) : SlackTestBase(server)
{
    [Fact]
    public async Task An_admin_connects_the_app_checked_with_auth_test_and_no_answer_ever_shows_a_secret()
    {
        var ws = await Server.NewWorkspaceAsync();
        var refused = await ws.Owner().PutAsync("/api/integrations/slack",
            SlackServer.JsonContent(new { botToken = SlackServer.BadToken, signingSecret = "s3cret-signing", defaultChannel = "approvals" }));
        await refused.AssertProblem(HttpStatusCode.BadRequest, SlackIntegrationApi.AuthFailed);
        Assert.False((await (await ws.Owner().GetAsync("/api/integrations/slack")).Json()).GetProperty("connected").GetBoolean());
        await (await ws.Owner().PutAsync("/api/integrations/slack", SlackServer.JsonContent(new { botToken = "xoxb-1" })))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");

        var secret = await SlackServer.ConnectAsync(ws, channel: "#approvals");
        var shown = await (await ws.Owner().GetAsync("/api/integrations/slack")).Json();
        Assert.Equal((true, SlackServer.TeamId, "Acme", "approvals"), (shown.GetProperty("connected").GetBoolean(), shown.GetProperty("teamId").GetString(),
            shown.GetProperty("teamName").GetString(), shown.GetProperty("defaultChannel").GetString()));
        Assert.DoesNotContain(secret, shown.GetRawText());
        Assert.DoesNotContain(SlackServer.BotToken(ws), shown.GetRawText());
        Assert.Contains(Server.Slack.To("/api/auth.test"), a => a.Header("Authorization") == $"Bearer {SlackServer.BotToken(ws)}");
        Assert.DoesNotContain(secret, await Server.ScalarAsync<string>("SELECT secrets_sealed FROM slack_integrations WHERE workspace_id = @WorkspaceId", new { ws.WorkspaceId }));

        var approver = Server.WithBearer(await ws.MemberTokenAsync("approver"));
        await (await approver.GetAsync("/api/integrations/slack")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await approver.DeleteAsync("/api/integrations/slack")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await ws.Owner().DeleteAsync("/api/integrations/slack")).AssertStatus(HttpStatusCode.NoContent);
        await (await ws.Owner().DeleteAsync("/api/integrations/slack")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_member_links_one_slack_user_id_that_no_one_else_in_the_workspace_holds()
    {
        var ws = await Server.NewWorkspaceAsync();
        var (approver, slackUser) = await LinkedMemberAsync(ws, "approver");
        Assert.Equal(slackUser, (await (await approver.GetAsync("/api/me/slack")).Json()).GetProperty("slackUserId").GetString());

        await (await ws.Owner().PutAsync("/api/me/slack", SlackServer.JsonContent(new { slackUserId = slackUser })))
            .AssertProblem(HttpStatusCode.Conflict, SlackLinksApi.Taken);
        await (await ws.Owner().PutAsync("/api/me/slack", SlackServer.JsonContent(new { slackUserId = "not-an-id" })))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        var other = await Server.NewWorkspaceAsync();
        await (await other.Owner().PutAsync("/api/me/slack", SlackServer.JsonContent(new { slackUserId = slackUser }))).AssertStatus(HttpStatusCode.OK);

        await (await approver.PutAsync("/api/me/slack", SlackServer.JsonContent(new { slackUserId = (string?)null }))).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await (await approver.GetAsync("/api/me/slack")).Json()).GetProperty("slackUserId").ValueKind);
    }
}

public sealed class SlackConnectionSqliteTests(SlackServer.Sqlite s) : SlackConnectionTests(s), IClassFixture<SlackServer.Sqlite>;

public sealed class SlackConnectionPostgresTests(SlackServer.Postgres s) : SlackConnectionTests(s), IClassFixture<SlackServer.Postgres>;
