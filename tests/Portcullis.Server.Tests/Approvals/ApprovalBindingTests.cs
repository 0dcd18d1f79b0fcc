using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>An approval is bound to the exact call: its arguments digest, shown to both sides and checked again at dispatch.</summary>
public abstract class ApprovalBindingTests(ApprovalServer server)
{
    /// <summary>RequestRefundAsync's arguments in RFC 8785 form, written out by hand.</summary>
    private const string RefundCanonical =
        """{"actionType":"refund.create","payload":{"amount":7999,"charge":"ch_3OabcEXAMPLE","reason":"requested_by_customer"},"provider":"stripe","resourceId":"ch_3OabcEXAMPLE","resourceType":"charge"}""";

    private static readonly string RefundDigest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RefundCanonical)));

    [Fact]
    public async Task Every_approval_records_the_digest_of_its_arguments_and_the_policy_revision_that_decided_it()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());

        var approverView = await ws.Owner().ApprovalAsync(r.ApprovalId);
        var agentView = await ws.Agent().ApprovalAsync(r.ApprovalId);

        Assert.Equal(RefundDigest, approverView.GetProperty("argumentsDigest").GetString());
        Assert.Equal(RefundDigest, agentView.GetProperty("argumentsDigest").GetString());
        Assert.True(agentView.GetProperty("policyRevision").GetInt64() > 0);
        var requested = Assert.Single(await TimelineAsync(ws.Owner(), r.RunId, "approval.requested")).GetProperty("payload");
        Assert.Equal(RefundDigest, requested.GetProperty("argumentsDigest").GetString());
    }

    [Fact]
    public async Task A_payload_changed_in_storage_after_the_request_is_refused_at_dispatch_and_never_sent()
    {
        var ws = await server.NewWorkspaceAsync();
        await GoLiveAsync(ws.Owner(), ws.AgentId!);
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        await server.Database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE action_requests SET payload = @payload WHERE id = @id",
            new { payload = """{"charge":"ch_3OabcEXAMPLE","amount":799900,"reason":"requested_by_customer"}""", id = r.ActionRequestId }, t));

        var approved = await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(r.ApprovalId);

        await approved.AssertStatus(HttpStatusCode.OK);
        var execution = (await approved.Json()).GetProperty("execution");
        Assert.Equal("failed", execution.GetProperty("status").GetString());
        Assert.Equal("digest_mismatch", execution.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, server.Stripe.RefundsFor(r.ActionRequestId));
        Assert.Single(await TimelineAsync(ws.Owner(), r.RunId, "action.failed"));
        var agentView = await ws.Agent().ApprovalAsync(r.ApprovalId);
        Assert.Equal("digest_mismatch", agentView.GetProperty("execution").GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_untouched_approved_call_passes_the_digest_check_and_is_sent()
    {
        var ws = await server.NewWorkspaceAsync();
        await GoLiveAsync(ws.Owner(), ws.AgentId!);
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());

        var approved = await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(r.ApprovalId);

        Assert.Equal("executed", (await approved.Json()).GetProperty("execution").GetProperty("status").GetString());
        Assert.Equal(1, server.Stripe.RefundsFor(r.ActionRequestId));
    }
}

public sealed class ApprovalBindingSqliteTests(ApprovalServer.Sqlite s) : ApprovalBindingTests(s), IClassFixture<ApprovalServer.Sqlite>;

public sealed class ApprovalBindingPostgresTests(ApprovalServer.Postgres s) : ApprovalBindingTests(s), IClassFixture<ApprovalServer.Postgres>;
