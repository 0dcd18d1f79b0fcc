using System.Net;
using System.Text.Json;
using Portcullis.Server.Features.Approvals.Slack;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals.Slack;

/// <summary>A held action posts its Slack message, and a signed Approve click decides it once and updates the message.</summary>
public abstract class SlackApprovalTests(SlackServer server) : SlackTestBase(server)
{
    [Fact]
    public async Task A_held_action_posts_one_block_kit_message_with_the_action_the_digest_and_both_buttons()
    {
        var ws = await Server.NewWorkspaceAsync();
        await SlackServer.ConnectAsync(ws, channel: "#refunds");
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());

        var post = await PostedAsync(r.ApprovalId);
        Assert.Equal($"Bearer {SlackServer.BotToken(ws)}", post.Header("Authorization"));
        Assert.StartsWith("application/json", post.Header("Content-Type"));
        var body = JsonDocument.Parse(post.Body).RootElement;
        Assert.Equal("refunds", body.GetProperty("channel").GetString());
        var blocks = body.GetProperty("blocks").EnumerateArray().ToList();
        var text = string.Join('\n', blocks.Select(b => b.GetRawText()));
        var digest = (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("argumentsDigest").GetString()!;
        Assert.Contains("refund.create", text);
        Assert.Contains("*Amount*\\n7999", text);
        Assert.Contains(digest[..12], text);
        Assert.Contains("a human checks refunds", text);
        Assert.Contains("ch_3OabcEXAMPLE", text);
        var buttons = blocks.Single(b => b.GetProperty("type").GetString() == "actions").GetProperty("elements").EnumerateArray()
            .Select(e => (e.GetProperty("action_id").GetString(), e.GetProperty("value").GetString())).ToList();
        Assert.Equal([(SlackApprovalMessage.ApproveAction, r.ApprovalId), (SlackApprovalMessage.RejectAction, r.ApprovalId)], buttons);
        Assert.Equal((SlackServer.ChannelId, "posted"), (await Server.ScalarAsync<string>("SELECT channel FROM slack_messages WHERE approval_id = @id", new { id = r.ApprovalId }),
            await Server.ScalarAsync<string>("SELECT state FROM slack_messages WHERE approval_id = @id", new { id = r.ApprovalId })));
    }

    [Fact]
    public async Task A_signed_approve_click_approves_once_through_slack_and_the_message_loses_its_buttons()
    {
        var (ws, secret, r) = await HeldAsync();
        var (_, slackUser) = await LinkedMemberAsync(ws, "approver");
        await PostedAsync(r.ApprovalId);

        var click = SlackServer.Click(secret, slackUser, SlackApprovalMessage.ApproveAction, r.ApprovalId, ResponseUrl());
        var replay = await CloneAsync(click);
        var answer = await Server.Anonymous().SendAsync(click);
        await answer.AssertStatus(HttpStatusCode.OK);
        Assert.StartsWith("Approved", (await answer.Json()).GetProperty("text").GetString());

        var approval = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal(("approved", "slack"), (approval.GetProperty("status").GetString(), approval.GetProperty("decidedChannel").GetString()));
        Assert.Equal("slack", Assert.Single(approval.GetProperty("decisions").EnumerateArray()).GetProperty("channel").GetString());
        Assert.Equal(1, await Server.ScalarAsync<long>("SELECT COUNT(*) FROM executions WHERE action_request_id = @id", new { id = r.ActionRequestId }));

        var update = JsonDocument.Parse((await UpdatedAsync(r.ApprovalId, "Approved")).Body).RootElement;
        Assert.Equal((SlackServer.ChannelId, await PostedTsAsync(r.ApprovalId)), (update.GetProperty("channel").GetString(), update.GetProperty("ts").GetString()));
        Assert.DoesNotContain(update.GetProperty("blocks").EnumerateArray(), b => b.GetProperty("type").GetString() == "actions");
        Assert.Contains("via slack", update.GetRawText());

        // The very same request again: refused, and nothing more is decided or executed.
        await (await Server.Anonymous().SendAsync(replay)).AssertProblem(HttpStatusCode.Unauthorized, SlackInteractions.Replayed);
        Assert.Single((await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("decisions").EnumerateArray());
        Assert.Equal(1, await Server.ScalarAsync<long>("SELECT COUNT(*) FROM executions WHERE action_request_id = @id", new { id = r.ActionRequestId }));
    }

    [Fact]
    public async Task Stale_forged_or_foreign_signatures_are_401_and_change_nothing()
    {
        var (ws, secret, r) = await HeldAsync();
        var (_, slackUser) = await LinkedMemberAsync(ws, "approver");
        var url = ResponseUrl();

        var stale = SlackServer.Click(secret, slackUser, SlackApprovalMessage.ApproveAction, r.ApprovalId, url, DateTimeOffset.UtcNow.AddMinutes(-6));
        await (await Server.Anonymous().SendAsync(stale)).AssertProblem(HttpStatusCode.Unauthorized, SlackInteractions.SignatureStale);
        var wrongSecret = SlackServer.Click("not the signing secret", slackUser, SlackApprovalMessage.ApproveAction, r.ApprovalId, url);
        await (await Server.Anonymous().SendAsync(wrongSecret)).AssertProblem(HttpStatusCode.Unauthorized, SlackInteractions.SignatureInvalid);
        var otherTeam = SlackServer.Click(secret, slackUser, SlackApprovalMessage.ApproveAction, r.ApprovalId, url, teamId: "T0SOMEONEELSE");
        await (await Server.Anonymous().SendAsync(otherTeam)).AssertProblem(HttpStatusCode.Unauthorized, SlackInteractions.SignatureInvalid);
        var unsigned = SlackServer.Click(secret, slackUser, SlackApprovalMessage.ApproveAction, r.ApprovalId, url);
        unsigned.Headers.Remove(SlackSignature.SignatureHeader);
        await (await Server.Anonymous().SendAsync(unsigned)).AssertProblem(HttpStatusCode.Unauthorized, SlackInteractions.SignatureInvalid);

        var approval = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal("pending", approval.GetProperty("status").GetString());
        Assert.Empty(approval.GetProperty("decisions").EnumerateArray());
        Assert.Empty(Server.Slack.To(new Uri(url).AbsolutePath));
    }

    [Fact]
    public async Task A_signed_payload_that_is_no_click_on_our_buttons_is_400_and_changes_nothing()
    {
        var (ws, secret, r) = await HeldAsync();
        var (_, slackUser) = await LinkedMemberAsync(ws, "approver");

        var otherButton = SlackServer.Click(secret, slackUser, "something_else", r.ApprovalId, ResponseUrl());
        await (await Server.Anonymous().SendAsync(otherButton)).AssertProblem(HttpStatusCode.BadRequest, SlackInteractions.PayloadInvalid);
        var otherType = SlackServer.Click(secret, slackUser, SlackApprovalMessage.ApproveAction, r.ApprovalId, ResponseUrl(), type: "view_submission");
        await (await Server.Anonymous().SendAsync(otherType)).AssertProblem(HttpStatusCode.BadRequest, SlackInteractions.PayloadInvalid);
        var notAnApproval = SlackServer.Click(secret, slackUser, SlackApprovalMessage.ApproveAction, "run_123", ResponseUrl());
        await (await Server.Anonymous().SendAsync(notAnApproval)).AssertProblem(HttpStatusCode.BadRequest, SlackInteractions.PayloadInvalid);

        Assert.Equal("pending", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unlinked_slack_user_or_a_viewer_gets_an_ephemeral_refusal_and_nothing_changes()
    {
        var (ws, secret, r) = await HeldAsync();
        var (_, viewer) = await LinkedMemberAsync(ws, "viewer");
        var url = ResponseUrl();

        var stranger = await Server.Anonymous().SendAsync(SlackServer.Click(secret, "U0NOBODY", SlackApprovalMessage.ApproveAction, r.ApprovalId, url));
        await stranger.AssertStatus(HttpStatusCode.OK);
        Assert.Contains("not linked", (await stranger.Json()).GetProperty("text").GetString());
        var refusal = JsonDocument.Parse(Assert.Single(Server.Slack.To(new Uri(url).AbsolutePath)).Body).RootElement;
        Assert.Equal(("ephemeral", false), (refusal.GetProperty("response_type").GetString(), refusal.GetProperty("replace_original").GetBoolean()));

        var byViewer = await Server.Anonymous().SendAsync(SlackServer.Click(secret, viewer, SlackApprovalMessage.RejectAction, r.ApprovalId, url));
        Assert.Contains("approver role", (await byViewer.Json()).GetProperty("text").GetString());

        var approval = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal("pending", approval.GetProperty("status").GetString());
        Assert.Empty(approval.GetProperty("decisions").EnumerateArray());
    }
}

public sealed class SlackApprovalSqliteTests(SlackServer.Sqlite s) : SlackApprovalTests(s), IClassFixture<SlackServer.Sqlite>;

public sealed class SlackApprovalPostgresTests(SlackServer.Postgres s) : SlackApprovalTests(s), IClassFixture<SlackServer.Postgres>;
