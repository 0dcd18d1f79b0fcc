using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>Approving and rejecting: who may, what it executes, and what it records.</summary>
public abstract class ApprovalDecisionTests(ApprovalServer server)
{
    [Fact]
    public async Task Require_approval_creates_a_request_holding_everything_an_approver_needs()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner(), "action_type = refund.create AND payload.amount > 5000");
        var r = await RequestRefundAsync(ws.Agent());

        Assert.Equal("awaiting_approval", await RunStatusAsync(ws.Owner(), r.RunId));
        var a = await ws.Owner().ApprovalAsync(r.ApprovalId);
        Assert.Equal(("pending", r.ActionRequestId, r.RunId), (a.GetProperty("status").GetString(), a.GetProperty("actionRequestId").GetString(), a.GetProperty("runId").GetString()));
        Assert.Equal((ws.AgentId, "agent-one"), (a.GetProperty("agentId").GetString(), a.GetProperty("agentName").GetString()));
        Assert.Equal(("refund.create", "stripe", "charge", "ch_3OabcEXAMPLE"), (a.GetProperty("actionType").GetString(), a.GetProperty("provider").GetString(),
            a.GetProperty("resourceType").GetString(), a.GetProperty("resourceId").GetString()));
        Assert.Equal(7999, a.GetProperty("payload").GetProperty("amount").GetInt64());
        Assert.Equal("premium", a.GetProperty("evidence").GetProperty("customerTier").GetString());
        var policy = Assert.Single(a.GetProperty("matchedPolicies").EnumerateArray());
        Assert.Equal(("require_approval", "a human checks refunds"), (policy.GetProperty("decision").GetString(), policy.GetProperty("reason").GetString()));
        Assert.Equal((1, 0), (a.GetProperty("approvalsRequired").GetInt32(), a.GetProperty("approvalsReceived").GetInt32()));
        var lifetime = DateTimeOffset.Parse(a.GetProperty("expiresAt").GetString()!) - DateTimeOffset.Parse(a.GetProperty("createdAt").GetString()!);
        Assert.Equal(TimeSpan.FromDays(1), lifetime);
        Assert.Empty(a.GetProperty("decisions").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, a.GetProperty("execution").ValueKind);

        var agentView = await ws.Agent().ApprovalAsync(r.ApprovalId);
        Assert.Equal(
            ["id", "status", "actionRequestId", "runId", "actionType", "provider", "approvalsRequired", "approvalsReceived", "createdAt", "expiresAt",
             "decidedAt", "comment", "decidedBy", "execution", "policyRevision", "argumentsDigest", "edited", "editedPayload", "editedArgumentsDigest"],
            agentView.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Approve_executes_the_action_once_resumes_the_run_and_records_timeline_and_audit()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        var response = await approver.ApproveAsync(r.ApprovalId, "customer is right");

        await response.AssertStatus(HttpStatusCode.OK);
        var a = await response.Json();
        Assert.Equal(("approved", "customer is right"), (a.GetProperty("status").GetString(), a.GetProperty("comment").GetString()));
        Assert.StartsWith("usr_", a.GetProperty("decidedBy").GetString());
        var execution = a.GetProperty("execution");
        Assert.Equal(("executed", true), (execution.GetProperty("status").GetString(), execution.GetProperty("simulated").GetBoolean()));
        Assert.Equal("refund", execution.GetProperty("response_payload").GetProperty("object").GetString());
        Assert.Equal(1, await server.ExecutionsOfAsync(r.ActionRequestId));
        Assert.Equal("running", await RunStatusAsync(ws.Owner(), r.RunId));

        var decided = Assert.Single(await TimelineAsync(ws.Owner(), r.RunId, "approval.decided")).GetProperty("payload");
        Assert.Equal(("approved", "customer is right"), (decided.GetProperty("status").GetString(), decided.GetProperty("comment").GetString()));
        Assert.Equal(a.GetProperty("decidedBy").GetString(), decided.GetProperty("decidedBy").GetString());
        Assert.Single(await TimelineAsync(ws.Owner(), r.RunId, "action.executed"));
        Assert.Equal(["approval.approved"], await server.AuditActionsAsync(r.ApprovalId));
        Assert.Contains("action.executed", await server.AuditActionsAsync(r.ActionRequestId));

        var agentView = await ws.Agent().ApprovalAsync(r.ApprovalId);
        Assert.Equal(execution.GetProperty("id").GetString(), agentView.GetProperty("execution").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Reject_never_executes_and_the_comment_reaches_the_agent()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        await (await approver.RejectAsync(r.ApprovalId, "order was never delivered")).AssertStatus(HttpStatusCode.OK);

        var agentView = await ws.Agent().ApprovalAsync(r.ApprovalId);
        Assert.Equal(("rejected", "order was never delivered"), (agentView.GetProperty("status").GetString(), agentView.GetProperty("comment").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, agentView.GetProperty("execution").ValueKind);
        Assert.Equal(0, await server.ExecutionsOfAsync(r.ActionRequestId));
        Assert.Equal("running", await RunStatusAsync(ws.Owner(), r.RunId));
        Assert.Equal(["approval.rejected"], await server.AuditActionsAsync(r.ApprovalId));
        await (await approver.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Conflict, "already_decided");
        Assert.Equal(0, await server.ExecutionsOfAsync(r.ActionRequestId));
    }

    [Fact]
    public async Task A_viewer_is_forbidden_and_an_agent_key_can_never_decide()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));

        await (await viewer.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.RejectAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await ws.Agent().ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await ws.Agent().RejectAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await ws.Agent().GetAsync("/api/approvals")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");

        Assert.Equal("pending", (await viewer.ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
        var admin = server.WithBearer(await ws.MemberTokenAsync("admin"));
        await (await admin.ApproveAsync(r.ApprovalId)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_workspace_can_neither_see_nor_decide_an_approval()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(a.Owner());
        var r = await RequestRefundAsync(a.Agent());
        var approverOfB = server.WithBearer(await b.MemberTokenAsync("approver"));

        await (await b.Owner().GetAsync($"/api/approvals/{r.ApprovalId}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Agent().GetAsync($"/api/approvals/{r.ApprovalId}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Owner().GetAsync($"/api/approvals/{r.ApprovalId}/deliveries")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await approverOfB.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await approverOfB.RejectAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await (await b.Owner().GetAsync("/api/approvals")).Json()).GetProperty("items").EnumerateArray());

        Assert.Equal("pending", (await a.Agent().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_owner_of_the_agent_may_not_approve_its_action_unless_the_workspace_allows_self_approval()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());

        var refused = await (await ws.Owner().ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Forbidden, "self_approval_forbidden");
        Assert.Contains("self-approval", refused.GetProperty("detail").GetString());
        Assert.Equal(0, await server.ExecutionsOfAsync(r.ActionRequestId));

        await (await ws.Owner().PatchJson("/api/workspace/settings", new { forbidSelfApproval = false })).AssertStatus(HttpStatusCode.OK);
        await (await ws.Owner().ApproveAsync(r.ApprovalId)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(1, await server.ExecutionsOfAsync(r.ActionRequestId));
    }

    [Fact]
    public async Task The_owner_of_a_fresh_demo_workspace_can_approve_the_demo_agent_s_held_actions()
    {
        // The first-start demo agent belongs to no member, so the README's "approve it in the dashboard" works for the owner
        // while self-approval stays forbidden (the default) for agents that members own.
        var demo = server.Seeded;
        Assert.True((await (await demo.Owner().GetAsync("/api/workspace")).Json()).GetProperty("settings").GetProperty("forbidSelfApproval").GetBoolean());
        await RequireApprovalAsync(demo.Owner());
        var r = await RequestRefundAsync(demo.Agent());

        await (await demo.Owner().ApproveAsync(r.ApprovalId)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(1, await server.ExecutionsOfAsync(r.ActionRequestId));
    }

    [Fact]
    public async Task A_bad_comment_or_an_unknown_id_is_refused_with_a_stable_code()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        var tooLong = await (await approver.ApproveAsync(r.ApprovalId, new string('x', 2001))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(tooLong.GetProperty("errors").TryGetProperty("comment", out _));
        await (await approver.PostRaw($"/api/approvals/{r.ApprovalId}/approve", "not json")).AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
        await (await approver.ApproveAsync("apr_doesnotexist")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await ws.Owner().GetAsync("/api/approvals/apr_doesnotexist")).AssertProblem(HttpStatusCode.NotFound, "not_found");

        // No body at all is a decision without a comment.
        await (await approver.PostAsync($"/api/approvals/{r.ApprovalId}/approve", null)).AssertStatus(HttpStatusCode.OK);
        await (await approver.ApproveAsync(r.ApprovalId, new string('x', 2000))).AssertProblem(HttpStatusCode.Conflict, "already_decided");
    }
}

public sealed class ApprovalDecisionSqliteTests(ApprovalServer.Sqlite s) : ApprovalDecisionTests(s), IClassFixture<ApprovalServer.Sqlite>;

public sealed class ApprovalDecisionPostgresTests(ApprovalServer.Postgres s) : ApprovalDecisionTests(s), IClassFixture<ApprovalServer.Postgres>;
