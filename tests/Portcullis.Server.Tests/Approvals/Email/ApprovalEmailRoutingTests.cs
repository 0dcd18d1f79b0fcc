using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals.Email;

/// <summary>Approval emails and approver groups: the group's members are emailed, then the escalation group's; links stay bound.</summary>
public abstract partial class ApprovalEmailRoutingTests(EmailServer server)
{
    private static async Task GroupAsync(HttpClient owner, string name, params EmailLinkSteps.Approver[] members) =>
        await (await owner.PostJson("/api/approver-groups", new { name, userIds = members.Select(m => m.UserId) })).AssertStatus(HttpStatusCode.Created);

    [Fact]
    public async Task A_routed_approval_emails_its_group_and_on_escalation_the_next_group_whose_links_then_decide()
    {
        var ws = await server.NewWorkspaceAsync();
        var (first, second) = (await server.NewMemberAsync(ws), await server.NewMemberAsync(ws));
        await GroupAsync(ws.Owner(), "tier1", first);
        await GroupAsync(ws.Owner(), "tier2", second);
        var policy = await ws.Owner().PostJson("/api/policies", new
        {
            name = "routed",
            condition = RefundsNeedApproval,
            decision = "require_approval",
            approverGroup = "tier1",
            escalateAfter = 600,
            escalateTo = "tier2",
        });
        await policy.AssertStatus(HttpStatusCode.Created);
        var r = await RequestRefundAsync(ws.Agent());

        var requested = Assert.Single(await server.Smtp.WaitForAsync(r.ApprovalId, 1));
        Assert.Equal(first.Email, requested.To());

        await server.Database.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE approvals SET escalate_at = 1 WHERE id = @ApprovalId",
            new { r.ApprovalId }, t));
        await server.Factory.Services.GetRequiredService<ApprovalExpiry>().SweepAsync(ws.WorkspaceId, CancellationToken.None);
        var escalated = (await server.Smtp.WaitForAsync(r.ApprovalId, 2)).For(second.Email);
        Assert.Equal("Approval needed (escalated): refund.create by agent-one", escalated.Subject);

        // The first group's link no longer decides (and is not spent by trying); the new group's does.
        var browser = server.Anonymous();
        var (refused, page) = await browser.PressAsync(requested.Link(), "approve");
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Contains("tier2", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync(requested.Link())).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.PressAsync(escalated.Link(), "reject", "not this one")).Status);
        var approval = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal(("rejected", second.UserId), (approval.GetProperty("status").GetString(), approval.GetProperty("decidedBy").GetString()));
        Assert.Equal(0, await server.ExecutionsOfAsync(r.ActionRequestId));
    }

    [Fact]
    public async Task A_link_opened_by_another_signed_in_member_is_refused_and_decides_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var (a, b) = (await server.NewMemberAsync(ws), await server.NewMemberAsync(ws));
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var link = (await server.Smtp.WaitForAsync(r.ApprovalId, 3)).For(a.Email).Link();

        using var browser = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await browser.GetStringAsync("/login");
        var signIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = b.Email,
            ["password"] = "a long enough password",
            ["__RequestVerificationToken"] = LoginToken().Match(form).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var (status, page) = await browser.OpenAsync(link);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains(a.Email, page, StringComparison.Ordinal);
        Assert.Equal("pending", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous().PressAsync(link, "approve")).Status);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex LoginToken();
}

public sealed class ApprovalEmailRoutingSqliteTests(EmailServer.Sqlite s) : ApprovalEmailRoutingTests(s), IClassFixture<EmailServer.Sqlite>;

public sealed class ApprovalEmailRoutingPostgresTests(EmailServer.Postgres s) : ApprovalEmailRoutingTests(s), IClassFixture<EmailServer.Postgres>;
