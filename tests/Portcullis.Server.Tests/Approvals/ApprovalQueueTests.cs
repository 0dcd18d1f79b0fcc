using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>Several approvers on one request, and the approvers' queue.</summary>
public abstract class ApprovalQueueTests(ApprovalServer server)
{
    [Fact]
    public async Task N_distinct_approvers_are_needed_and_the_same_approver_counts_once()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner(), approvalsRequired: 2);
        var r = await RequestRefundAsync(ws.Agent());
        var first = server.WithBearer(await ws.MemberTokenAsync("approver"));
        var second = server.WithBearer(await ws.MemberTokenAsync("approver"));

        var one = await (await first.ApproveAsync(r.ApprovalId, "ok by me")).Json();
        Assert.Equal(("pending", 2, 1), (one.GetProperty("status").GetString(), one.GetProperty("approvalsRequired").GetInt32(), one.GetProperty("approvalsReceived").GetInt32()));
        var again = await (await first.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Conflict, "conflict");
        Assert.Contains("you have already approved", again.GetProperty("detail").GetString());
        Assert.Equal(0, await server.ExecutionsOfAsync(r.ActionRequestId));
        Assert.Equal("awaiting_approval", await RunStatusAsync(ws.Owner(), r.RunId));
        Assert.Equal(1, (await ws.Agent().ApprovalAsync(r.ApprovalId)).GetProperty("approvalsReceived").GetInt32());

        var two = await (await second.ApproveAsync(r.ApprovalId, "me too")).Json();

        Assert.Equal(("approved", 2, "me too"), (two.GetProperty("status").GetString(), two.GetProperty("approvalsReceived").GetInt32(), two.GetProperty("comment").GetString()));
        Assert.Equal(["approve", "approve"], two.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("decision").GetString()));
        Assert.Equal(1, await server.ExecutionsOfAsync(r.ActionRequestId));
        Assert.Equal("running", await RunStatusAsync(ws.Owner(), r.RunId));
        Assert.Equal(["approval.approved_by", "approval.approved"], await server.AuditActionsAsync(r.ApprovalId));
    }

    [Fact]
    public async Task One_rejection_rejects_a_request_that_needs_several_approvers_even_from_an_earlier_approver()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner(), approvalsRequired: 3);
        var r = await RequestRefundAsync(ws.Agent());
        var first = server.WithBearer(await ws.MemberTokenAsync("approver"));
        var second = server.WithBearer(await ws.MemberTokenAsync("approver"));

        await (await first.ApproveAsync(r.ApprovalId)).AssertStatus(HttpStatusCode.OK);
        var rejected = await (await first.RejectAsync(r.ApprovalId, "changed my mind")).Json();
        await (await second.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Conflict, "already_decided");

        Assert.Equal(("rejected", "changed my mind", 0), (rejected.GetProperty("status").GetString(), rejected.GetProperty("comment").GetString(),
            rejected.GetProperty("approvalsReceived").GetInt32()));
        Assert.Equal("reject", Assert.Single(rejected.GetProperty("decisions").EnumerateArray()).GetProperty("decision").GetString());
        Assert.Equal(0, await server.ExecutionsOfAsync(r.ActionRequestId));
    }

    [Fact]
    public async Task An_approved_custom_action_is_never_dispatched_and_settles_without_an_execution()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner(), "action_type = account.close");
        var runId = await ws.StartRunAsync();
        var answer = await (await ws.Agent().PostJson("/api/actions/request", new { runId, actionType = "account.close", payload = new { account = "A-1" } })).Json();
        var approvalId = answer.GetProperty("approvalRequestId").GetString()!;

        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(approvalId)).AssertStatus(HttpStatusCode.OK);

        var settled = await ws.Agent().ApprovalAsync(approvalId, waitSeconds: 10);
        Assert.Equal("approved", settled.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, settled.GetProperty("execution").ValueKind);
        Assert.Equal(0, await server.ExecutionsOfAsync(answer.GetProperty("actionRequestId").GetString()!));
        Assert.Equal("running", await RunStatusAsync(ws.Owner(), runId));
    }

    [Fact]
    public async Task The_queue_filters_by_status_agent_and_action_type_lists_pending_oldest_first_and_pages()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r1 = await RequestRefundAsync(ws.Agent());
        var r2 = await RequestRefundAsync(ws.Agent());
        var r3 = await RequestRefundAsync(ws.Agent());
        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).RejectAsync(r2.ApprovalId)).AssertStatus(HttpStatusCode.OK);
        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));

        Assert.Equal([r1.ApprovalId, r3.ApprovalId], await IdsAsync(viewer, "?status=pending"));
        Assert.Equal([r2.ApprovalId], await IdsAsync(viewer, "?status=rejected"));
        Assert.Equal([r3.ApprovalId, r2.ApprovalId, r1.ApprovalId], await IdsAsync(viewer, $"?agentId={ws.AgentId}&actionType=refund.create"));
        Assert.Empty(await IdsAsync(viewer, "?agentId=agt_other"));
        Assert.Empty(await IdsAsync(viewer, "?actionType=email.send"));

        var page1 = await (await viewer.GetAsync("/api/approvals?status=pending&limit=1")).Json();
        Assert.Equal(r1.ApprovalId, Assert.Single(page1.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var page2 = await (await viewer.GetAsync($"/api/approvals?status=pending&limit=1&cursor={page1.GetProperty("nextCursor").GetString()}")).Json();
        Assert.Equal(r3.ApprovalId, Assert.Single(page2.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);

        var bad = await (await viewer.GetAsync("/api/approvals?status=maybe&limit=0&cursor=notacursor")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(["cursor", "limit", "status"], bad.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/approvals" + query);
        await response.AssertStatus(HttpStatusCode.OK);
        return (await response.Json()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
    }
}

public sealed class ApprovalQueueSqliteTests(ApprovalServer.Sqlite s) : ApprovalQueueTests(s), IClassFixture<ApprovalServer.Sqlite>;

public sealed class ApprovalQueuePostgresTests(ApprovalServer.Postgres s) : ApprovalQueueTests(s), IClassFixture<ApprovalServer.Postgres>;
