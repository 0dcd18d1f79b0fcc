using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>Approver groups: N approvals from a group's members, and escalation to another group.</summary>
public abstract class ApproverGroupTests(ApprovalServer server)
{
    private sealed record Approver(HttpClient Client, string UserId);

    private async Task<Approver> NewApproverAsync(TestWorkspace ws)
    {
        var email = $"approver-{Guid.NewGuid():n}@example.com";
        var accepted = await ws.Owner().AddMemberAsync(server.Anonymous(), email, "approver", name: "approver");
        return new(server.WithBearer(accepted.GetProperty("token").GetString()!), accepted.GetProperty("userId").GetString()!);
    }

    private static async Task<string> GroupAsync(HttpClient owner, string name, params Approver[] members)
    {
        var created = await owner.PostJson("/api/approver-groups", new { name, userIds = members.Select(m => m.UserId) });
        await created.AssertStatus(HttpStatusCode.Created);
        return (await created.Json()).GetProperty("id").GetString()!;
    }

    private static async Task RoutedPolicyAsync(HttpClient owner, int approvalsRequired, string group, int? escalateAfter = null, string? escalateTo = null)
    {
        var response = await owner.PostJson("/api/policies", new
        {
            name = $"routed {Guid.NewGuid():n}", condition = RefundsNeedApproval, decision = "require_approval", approvalsRequired,
            approverGroup = group, escalateAfter, escalateTo,
        });
        await response.AssertStatus(HttpStatusCode.Created);
        var policy = await response.Json();
        Assert.Equal(group, policy.GetProperty("approverGroup").GetString());
    }

    private Task MoveAsync(string approvalId, string column) => server.Database.WriteAsync((c, t) => c.ExecuteAsync(
        $"UPDATE approvals SET {column} = @past WHERE id = @approvalId",
        new { past = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds(), approvalId }, t));

    private Task SweepAsync(TestWorkspace ws) => server.Factory.Services.GetRequiredService<ApprovalExpiry>().SweepAsync(ws.WorkspaceId, CancellationToken.None);

    [Fact]
    public async Task Two_of_a_groups_members_must_approve_and_nobody_outside_it_decides()
    {
        var ws = await server.NewWorkspaceAsync();
        var (a, b, outsider) = (await NewApproverAsync(ws), await NewApproverAsync(ws), await NewApproverAsync(ws));
        await GroupAsync(ws.Owner(), "finance", a, b);
        await RoutedPolicyAsync(ws.Owner(), approvalsRequired: 2, group: "finance");
        var r = await RequestRefundAsync(ws.Agent());

        await (await outsider.Client.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Forbidden, "not_in_approver_group");
        await (await outsider.Client.RejectAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Forbidden, "not_in_approver_group");
        var one = await (await a.Client.ApproveAsync(r.ApprovalId)).Json();
        Assert.Equal(("pending", 1, "finance"), (one.GetProperty("status").GetString(), one.GetProperty("approvalsReceived").GetInt32(),
            one.GetProperty("approverGroup").GetString()));

        var two = await (await b.Client.ApproveAsync(r.ApprovalId)).Json();
        Assert.Equal(("approved", "executed"), (two.GetProperty("status").GetString(), two.GetProperty("execution").GetProperty("status").GetString()));
        Assert.Equal(1, await server.ExecutionsOfAsync(r.ActionRequestId));
    }

    [Fact]
    public async Task After_escalate_after_the_approval_moves_to_the_other_group_with_a_timeline_entry()
    {
        var ws = await server.NewWorkspaceAsync();
        var (first, second) = (await NewApproverAsync(ws), await NewApproverAsync(ws));
        await GroupAsync(ws.Owner(), "tier1", first);
        await GroupAsync(ws.Owner(), "tier2", second);
        await RoutedPolicyAsync(ws.Owner(), 1, "tier1", escalateAfter: 600, escalateTo: "tier2");
        var r = await RequestRefundAsync(ws.Agent());
        await (await second.Client.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Forbidden, "not_in_approver_group");

        await MoveAsync(r.ApprovalId, "escalate_at");
        await SweepAsync(ws);

        var escalated = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal(("pending", "tier2"), (escalated.GetProperty("status").GetString(), escalated.GetProperty("approverGroup").GetString()));
        var entry = Assert.Single(await TimelineAsync(ws.Owner(), r.RunId, "approval.escalated")).GetProperty("payload");
        Assert.Equal(("tier1", "tier2", "escalate_after"), (entry.GetProperty("fromGroup").GetString(), entry.GetProperty("toGroup").GetString(),
            entry.GetProperty("reason").GetString()));
        await (await first.Client.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Forbidden, "not_in_approver_group");
        await (await second.Client.ApproveAsync(r.ApprovalId)).AssertStatus(HttpStatusCode.OK);
        Assert.Contains("approval.escalated", await server.AuditActionsAsync(r.ApprovalId));
    }

    [Fact]
    public async Task At_expiry_an_unanswered_approval_escalates_once_with_a_fresh_lifetime_and_then_expires()
    {
        var ws = await server.NewWorkspaceAsync();
        var (first, second) = (await NewApproverAsync(ws), await NewApproverAsync(ws));
        await GroupAsync(ws.Owner(), "tier1", first);
        await GroupAsync(ws.Owner(), "tier2", second);
        await RoutedPolicyAsync(ws.Owner(), 1, "tier1", escalateTo: "tier2");
        var r = await RequestRefundAsync(ws.Agent());

        await server.ExpireNowAsync(r.ApprovalId);
        await SweepAsync(ws);

        var escalated = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal(("pending", "tier2"), (escalated.GetProperty("status").GetString(), escalated.GetProperty("approverGroup").GetString()));
        Assert.True(DateTimeOffset.Parse(escalated.GetProperty("expiresAt").GetString()!) > DateTimeOffset.UtcNow.AddHours(23));
        Assert.Equal("expiry", Assert.Single(await TimelineAsync(ws.Owner(), r.RunId, "approval.escalated")).GetProperty("payload").GetProperty("reason").GetString());

        await server.ExpireNowAsync(r.ApprovalId);
        await SweepAsync(ws);
        Assert.Equal("expired", (await ws.Agent().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_group_name_is_a_plain_token_and_a_bad_one_is_a_field_error_that_creates_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        foreach (var name in new[] { "", " finance", "two words", "-lead", "fin/ance", "caf\u00e9", new string('a', 65) })
        {
            var problem = await (await ws.Owner().PostJson("/api/approver-groups", new { name })).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
            Assert.Equal(["name"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }

        await GroupAsync(ws.Owner(), "finance-leads.eu_1");
        await (await ws.Owner().PostJson("/api/approver-groups", new { name = "FINANCE-LEADS.EU_1" })).AssertProblem(HttpStatusCode.Conflict, "conflict");
        var names = (await (await ws.Owner().GetAsync("/api/approver-groups")).Json()).GetProperty("items").EnumerateArray();
        Assert.Equal(["finance-leads.eu_1"], names.Select(g => g.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Groups_are_managed_by_admins_with_members_of_the_workspace_only()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        var a = await NewApproverAsync(ws);
        var stranger = await NewApproverAsync(other);
        var id = await GroupAsync(ws.Owner(), "finance", a);

        await (await ws.Owner().PostJson("/api/approver-groups", new { name = "finance" })).AssertProblem(HttpStatusCode.Conflict, "conflict");
        await (await ws.Owner().PostJson("/api/approver-groups", new { name = "ops", userIds = new[] { stranger.UserId } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        await (await a.Client.PostJson("/api/approver-groups", new { name = "mine" })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        var list = await (await a.Client.GetAsync("/api/approver-groups")).Json();
        var group = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("finance", a.UserId), (group.GetProperty("name").GetString(),
            Assert.Single(group.GetProperty("members").EnumerateArray()).GetProperty("userId").GetString()));

        var emptied = await (await ws.Owner().PutAsJsonAsync($"/api/approver-groups/{id}/members", new { userIds = Array.Empty<string>() })).Json();
        Assert.Empty(emptied.GetProperty("members").EnumerateArray());
        await (await other.Owner().DeleteAsync($"/api/approver-groups/{id}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await ws.Owner().DeleteAsync($"/api/approver-groups/{id}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.Empty((await (await ws.Owner().GetAsync("/api/approver-groups")).Json()).GetProperty("items").EnumerateArray());
    }
}

public sealed class ApproverGroupSqliteTests(ApprovalServer.Sqlite s) : ApproverGroupTests(s), IClassFixture<ApprovalServer.Sqlite>;

public sealed class ApproverGroupPostgresTests(ApprovalServer.Postgres s) : ApproverGroupTests(s), IClassFixture<ApprovalServer.Postgres>;
