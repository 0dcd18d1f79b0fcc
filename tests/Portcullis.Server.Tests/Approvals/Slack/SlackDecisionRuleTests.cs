using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Features.Approvals.Slack;
using Portcullis.Server.Features.Dashboard;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals.Slack;

/// <summary>Slack clicks obey the decision rules, and decisions from elsewhere (dashboard, expiry) update the Slack message too.</summary>
public abstract class SlackDecisionRuleTests(SlackServer server) : SlackTestBase(server)
{
    private Task<HttpResponseMessage> ClickAsync(string secret, string slackUser, string approvalId, bool approve = true) =>
        Server.Anonymous().SendAsync(SlackServer.Click(secret, slackUser,
            approve ? SlackApprovalMessage.ApproveAction : SlackApprovalMessage.RejectAction, approvalId, ResponseUrl()));

    [Fact]
    public async Task The_agents_owner_cannot_approve_from_slack_when_self_approval_is_forbidden()
    {
        var (ws, secret, r) = await HeldAsync();
        var ownerSlack = await LinkAsync(ws.Owner());

        var answer = await ClickAsync(secret, ownerSlack, r.ApprovalId);
        Assert.Contains("self-approval", (await answer.Json()).GetProperty("text").GetString());
        Assert.Equal("pending", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Two_of_n_needs_two_different_linked_members_and_one_cannot_count_twice()
    {
        var (ws, secret, r) = await HeldAsync(approvalsRequired: 2);
        var (_, first) = await LinkedMemberAsync(ws, "approver");
        var (_, second) = await LinkedMemberAsync(ws, "approver");
        await PostedAsync(r.ApprovalId);

        Assert.Contains("counted", (await (await ClickAsync(secret, first, r.ApprovalId)).Json()).GetProperty("text").GetString());
        Assert.Contains("already approved", (await (await ClickAsync(secret, first, r.ApprovalId)).Json()).GetProperty("text").GetString());
        await UpdatedAsync(r.ApprovalId, "1 of 2 approvals");
        Assert.Equal("pending", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());

        Assert.StartsWith("Approved", (await (await ClickAsync(secret, second, r.ApprovalId)).Json()).GetProperty("text").GetString());
        var approval = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal("approved", approval.GetProperty("status").GetString());
        Assert.All(approval.GetProperty("decisions").EnumerateArray(), d => Assert.Equal("slack", d.GetProperty("channel").GetString()));
        Assert.Equal(2, approval.GetProperty("decisions").GetArrayLength());
        await UpdatedAsync(r.ApprovalId, "*Approved*");
    }

    [Fact]
    public async Task A_dashboard_decision_updates_the_slack_message_and_records_its_channel()
    {
        var (ws, _, r) = await HeldAsync();
        await PostedAsync(r.ApprovalId);
        var email = $"dashboard-{Guid.NewGuid():n}@example.com";
        var added = await ws.Owner().AddMemberAsync(Server.Anonymous(), email, "approver", "Dana Dashboard");
        var member = new Member(added.GetProperty("userId").GetString()!, ws.WorkspaceId!, Role.Approver, "dashboard-test", email);

        var outcome = await Server.Factory.Services.GetRequiredService<IApprovalDecider>().DecideAsync(member, r.ApprovalId, false, "not this one", CancellationToken.None);
        Assert.Equal(DecisionStatus.Ok, outcome.Status);

        var update = await UpdatedAsync(r.ApprovalId, "*Rejected*");
        Assert.Contains("by *Dana Dashboard* via dashboard", update.Body);
        Assert.Contains("not this one", update.Body);
        var approval = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal("dashboard", Assert.Single(approval.GetProperty("decisions").EnumerateArray()).GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Expiry_updates_the_slack_message()
    {
        var (ws, _, r) = await HeldAsync();
        await PostedAsync(r.ApprovalId);
        await Server.Database.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE approvals SET expires_at = 0 WHERE id = @id", new { id = r.ApprovalId }, t));

        await Server.Factory.Services.GetRequiredService<ApprovalExpiry>().SweepAsync(ws.WorkspaceId, CancellationToken.None);

        var update = await UpdatedAsync(r.ApprovalId, "*Expired*");
        Assert.DoesNotContain(SlackApprovalMessage.ApproveAction, update.Body);
        Assert.Equal("expiry", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("decidedChannel").GetString());
    }

    [Fact]
    public async Task A_policy_naming_a_slack_channel_posts_there_instead_of_the_default_and_exports_it()
    {
        var ws = await Server.NewWorkspaceAsync();
        await SlackServer.ConnectAsync(ws, channel: "approvals");
        var created = await ws.Owner().PostJson("/api/policies", new
        {
            name = "big refunds",
            condition = RefundsNeedApproval,
            decision = "require_approval",
            reason = "finance checks",
            slackChannel = "#finance",
        });
        await created.AssertStatus(HttpStatusCode.Created);
        Assert.Equal("finance", (await created.Json()).GetProperty("slackChannel").GetString());
        var r = await RequestRefundAsync(ws.Agent());

        Assert.Equal("finance", System.Text.Json.JsonDocument.Parse((await PostedAsync(r.ApprovalId)).Body).RootElement.GetProperty("channel").GetString());
        Assert.Contains("\"slackChannel\": \"finance\"", await (await ws.Owner().GetAsync("/api/policies/export")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_escalation_posts_a_thread_notice_naming_the_new_group()
    {
        var ws = await Server.NewWorkspaceAsync();
        await SlackServer.ConnectAsync(ws);
        foreach (var name in new[] { "tier1", "tier2" })
        {
            await (await ws.Owner().PostJson("/api/approver-groups", new { name })).AssertStatus(HttpStatusCode.Created);
        }

        await (await ws.Owner().PostJson("/api/policies", new
        {
            name = "routed",
            condition = RefundsNeedApproval,
            decision = "require_approval",
            approverGroup = "tier1",
            escalateTo = "tier2",
            escalateAfter = 600,
        })).AssertStatus(HttpStatusCode.Created);
        var r = await RequestRefundAsync(ws.Agent());
        await PostedAsync(r.ApprovalId);
        await Server.Database.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE approvals SET escalate_at = 0 WHERE id = @id", new { id = r.ApprovalId }, t));

        await Server.Factory.Services.GetRequiredService<ApprovalExpiry>().SweepAsync(ws.WorkspaceId, CancellationToken.None);

        await EventuallyAsync(() => Task.FromResult(Server.Calls("chat.postMessage", r.ApprovalId).Count == 2), TimeSpan.FromSeconds(15), "the escalation notice");
        var notice = System.Text.Json.JsonDocument.Parse(Server.Calls("chat.postMessage", r.ApprovalId)[1].Body).RootElement;
        Assert.Equal((SlackServer.ChannelId, await PostedTsAsync(r.ApprovalId), true), (notice.GetProperty("channel").GetString(),
            notice.GetProperty("thread_ts").GetString(), notice.GetProperty("reply_broadcast").GetBoolean()));
        Assert.Contains("*tier2*", notice.GetProperty("text").GetString());
        await UpdatedAsync(r.ApprovalId, "group *tier2*");
    }

    [Fact]
    public async Task Without_slack_connected_nothing_is_queued_or_posted()
    {
        var ws = await Server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());

        Assert.Equal(0, await Server.ScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE subject_id = @id", new { id = r.ApprovalId }));
    }
}

public sealed class SlackDecisionRuleSqliteTests(SlackServer.Sqlite s) : SlackDecisionRuleTests(s), IClassFixture<SlackServer.Sqlite>;

public sealed class SlackDecisionRulePostgresTests(SlackServer.Postgres s) : SlackDecisionRuleTests(s), IClassFixture<SlackServer.Postgres>;
