using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>Edit, then approve: a policy's <c>allowEdit</c>, the edited payload checked again, recorded beside the original and sent.</summary>
public abstract class ApprovalEditTests(ApprovalServer server)
{
    private static object Refund(object amount) => new { charge = "ch_3OabcEXAMPLE", amount, reason = "requested_by_customer" };

    private static string DigestOf(long amount) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $$"""{"actionType":"refund.create","payload":{"amount":{{amount}},"charge":"ch_3OabcEXAMPLE","reason":"requested_by_customer"},"provider":"stripe","resourceId":"ch_3OabcEXAMPLE","resourceType":"charge"}""")));

    private static async Task AddPolicyAsync(HttpClient owner, string decision, string condition, bool allowEdit = false, int approvalsRequired = 1)
    {
        var response = await owner.PostJson("/api/policies", new
        {
            name = $"{decision} {Guid.NewGuid():n}", condition, decision, reason = $"{decision} by test", allowEdit, approvalsRequired,
        });
        await response.AssertStatus(HttpStatusCode.Created);
        Assert.Equal(allowEdit, (await response.Json()).GetProperty("allowEdit").GetBoolean());
    }

    private static Task<HttpResponseMessage> ApproveWithAsync(HttpClient approver, string approvalId, object payload) =>
        approver.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { comment = "halved", payload });

    [Fact]
    public async Task An_edited_payload_is_recorded_beside_the_original_sent_instead_and_shown_as_edited_to_the_agent()
    {
        var ws = await server.NewWorkspaceAsync();
        await GoLiveAsync(ws.Owner(), ws.AgentId!);
        await AddPolicyAsync(ws.Owner(), "require_approval", RefundsNeedApproval, allowEdit: true);
        var r = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        var response = await ApproveWithAsync(approver, r.ApprovalId, Refund(4000));

        await response.AssertStatus(HttpStatusCode.OK);
        var a = await response.Json();
        Assert.Equal(("approved", true, true), (a.GetProperty("status").GetString(), a.GetProperty("allowEdit").GetBoolean(), a.GetProperty("edited").GetBoolean()));
        Assert.Equal(7999, a.GetProperty("payload").GetProperty("amount").GetInt64());
        Assert.Equal(4000, a.GetProperty("editedPayload").GetProperty("amount").GetInt64());
        Assert.Equal((DigestOf(7999), DigestOf(4000)), (a.GetProperty("argumentsDigest").GetString(), a.GetProperty("editedArgumentsDigest").GetString()));
        var sent = Assert.Single(server.Stripe.To("/v1/refunds"), q => q.Header("Idempotency-Key") == $"portcullis-{r.ActionRequestId}");
        Assert.Contains("amount=4000", sent.Body);

        var agentView = await ws.Agent().ApprovalAsync(r.ApprovalId);
        Assert.True(agentView.GetProperty("edited").GetBoolean());
        Assert.Equal(4000, agentView.GetProperty("editedPayload").GetProperty("amount").GetInt64());
        var execution = agentView.GetProperty("execution");
        Assert.Equal(("executed", true, 4000L), (execution.GetProperty("status").GetString(), execution.GetProperty("edited").GetBoolean(),
            execution.GetProperty("payload").GetProperty("amount").GetInt64()));
        var edited = Assert.Single(await TimelineAsync(ws.Owner(), r.RunId, "approval.edited")).GetProperty("payload");
        Assert.Equal((DigestOf(7999), DigestOf(4000)), (edited.GetProperty("argumentsDigest").GetString(), edited.GetProperty("editedArgumentsDigest").GetString()));
        Assert.Equal(["approval.edited", "approval.approved"], await server.AuditActionsAsync(r.ApprovalId));
    }

    [Fact]
    public async Task A_block_still_blocks_an_edited_payload_and_the_approval_stays_pending()
    {
        var ws = await server.NewWorkspaceAsync();
        await AddPolicyAsync(ws.Owner(), "require_approval", RefundsNeedApproval, allowEdit: true);
        await AddPolicyAsync(ws.Owner(), "block", "action_type = refund.create AND payload.amount > 100000");
        var r = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        var blocked = await (await ApproveWithAsync(approver, r.ApprovalId, Refund(250000))).AssertProblem(HttpStatusCode.Conflict, "edit_blocked");

        Assert.Equal("block by test", blocked.GetProperty("reason").GetString());
        Assert.Contains("block by test", blocked.GetProperty("detail").GetString());
        var a = await ws.Agent().ApprovalAsync(r.ApprovalId);
        Assert.Equal(("pending", false), (a.GetProperty("status").GetString(), a.GetProperty("edited").GetBoolean()));
        Assert.Equal(0, await server.ExecutionsOfAsync(r.ActionRequestId));
    }

    [Fact]
    public async Task A_payload_without_allow_edit_or_against_the_schema_is_a_400_and_changes_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        await AddPolicyAsync(ws.Owner(), "require_approval", RefundsNeedApproval);
        var plain = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        await (await ApproveWithAsync(approver, plain.ApprovalId, Refund(4000))).AssertProblem(HttpStatusCode.BadRequest, "edit_not_allowed");
        await (await approver.PostAsJsonAsync($"/api/approvals/{plain.ApprovalId}/reject", new { payload = Refund(1) }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("pending", (await ws.Agent().ApprovalAsync(plain.ApprovalId)).GetProperty("status").GetString());

        await AddPolicyAsync(ws.Owner(), "require_approval", RefundsNeedApproval, allowEdit: true);
        var editable = await RequestRefundAsync(ws.Agent());
        Assert.Equal("pending", (await ws.Agent().ApprovalAsync(editable.ApprovalId)).GetProperty("status").GetString());
        // Two matching approval policies, one without allowEdit: the stricter one wins.
        await (await ApproveWithAsync(approver, editable.ApprovalId, Refund(4000))).AssertProblem(HttpStatusCode.BadRequest, "edit_not_allowed");
    }

    [Fact]
    public async Task An_edit_is_validated_against_the_action_schema()
    {
        var ws = await server.NewWorkspaceAsync();
        await AddPolicyAsync(ws.Owner(), "require_approval", RefundsNeedApproval, allowEdit: true);
        var r = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        var invalid = await (await ApproveWithAsync(approver, r.ApprovalId, Refund("lots"))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Contains(invalid.GetProperty("errors").EnumerateObject(), e => e.Name.Contains("amount", StringComparison.Ordinal));
        Assert.Equal("pending", (await ws.Agent().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task With_two_approvers_an_edit_lapses_the_approvals_of_the_earlier_version()
    {
        var ws = await server.NewWorkspaceAsync();
        await AddPolicyAsync(ws.Owner(), "require_approval", RefundsNeedApproval, allowEdit: true, approvalsRequired: 2);
        var r = await RequestRefundAsync(ws.Agent());
        var first = server.WithBearer(await ws.MemberTokenAsync("approver"));
        var second = server.WithBearer(await ws.MemberTokenAsync("approver"));

        await (await first.ApproveAsync(r.ApprovalId)).AssertStatus(HttpStatusCode.OK);
        var edited = await (await ApproveWithAsync(second, r.ApprovalId, Refund(4000))).Json();
        Assert.Equal(("pending", 1), (edited.GetProperty("status").GetString(), edited.GetProperty("approvalsReceived").GetInt32()));

        var done = await (await first.ApproveAsync(r.ApprovalId)).Json();
        Assert.Equal("approved", done.GetProperty("status").GetString());
        var execution = done.GetProperty("execution");
        Assert.Equal((true, 4000L), (execution.GetProperty("edited").GetBoolean(), execution.GetProperty("payload").GetProperty("amount").GetInt64()));
        Assert.Equal(4000, execution.GetProperty("response_payload").GetProperty("amount").GetInt64());
    }
}

public sealed class ApprovalEditSqliteTests(ApprovalServer.Sqlite s) : ApprovalEditTests(s), IClassFixture<ApprovalServer.Sqlite>;

public sealed class ApprovalEditPostgresTests(ApprovalServer.Postgres s) : ApprovalEditTests(s), IClassFixture<ApprovalServer.Postgres>;
