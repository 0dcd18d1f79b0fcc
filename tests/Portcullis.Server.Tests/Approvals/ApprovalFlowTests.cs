using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>The spec's refund flow end to end, live against the fake Stripe.</summary>
public abstract class ApprovalFlowTests(ApprovalServer server)
{
    [Fact]
    public async Task Large_refund_waits_for_an_approver_executes_once_and_the_agent_sees_it_and_completes_the_run()
    {
        var ws = await server.NewWorkspaceAsync();
        await GoLiveAsync(ws.Owner(), ws.AgentId!);
        await RequireApprovalAsync(ws.Owner(), "action_type = refund.create AND payload.amount > 5000");
        var agent = ws.Agent();
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        var r = await RequestRefundAsync(agent, amount: 7999);
        Assert.Equal(0, server.Stripe.RefundsFor(r.ActionRequestId));
        Assert.Equal("awaiting_approval", await RunStatusAsync(ws.Owner(), r.RunId));
        var poll = agent.ApprovalAsync(r.ApprovalId, waitSeconds: 30);

        var queue = await (await approver.GetAsync("/api/approvals?status=pending")).Json();
        Assert.Equal(r.ApprovalId, Assert.Single(queue.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        await (await approver.ApproveAsync(r.ApprovalId, "verified with the customer")).AssertStatus(HttpStatusCode.OK);

        var decided = await poll.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(("approved", "verified with the customer"), (decided.GetProperty("status").GetString(), decided.GetProperty("comment").GetString()));
        var execution = decided.GetProperty("execution");
        Assert.Equal(("executed", false, "re_fake123"), (execution.GetProperty("status").GetString(), execution.GetProperty("simulated").GetBoolean(),
            execution.GetProperty("response_payload").GetProperty("id").GetString()));
        Assert.Equal(1, server.Stripe.RefundsFor(r.ActionRequestId));
        var again = await agent.ApprovalAsync(r.ApprovalId);
        Assert.Equal(execution.GetProperty("id").GetString(), again.GetProperty("execution").GetProperty("id").GetString());
        Assert.Equal("running", await RunStatusAsync(ws.Owner(), r.RunId));

        var end = await agent.PostJson("/api/ingest/run-end", new { runId = r.RunId, status = "completed" });
        await end.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("completed", await RunStatusAsync(ws.Owner(), r.RunId));
        Assert.Equal(1, server.Stripe.RefundsFor(r.ActionRequestId));
    }

    [Fact]
    public async Task A_small_refund_is_allowed_at_once_and_a_retried_approved_request_replays_its_execution()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner(), "action_type = refund.create AND payload.amount > 5000");
        var runId = await ws.StartRunAsync();
        var small = await (await ws.Agent().PostJson("/api/actions/request", new
        {
            runId, actionType = "refund.create", payload = new { charge = "ch_1", amount = 1000 },
        })).Json();
        Assert.Equal("allow", small.GetProperty("decision").GetString());

        var body = new { runId, actionType = "refund.create", payload = new { charge = "ch_2", amount = 9000 }, idempotencyKey = "refund-ch_2" };
        var first = await (await ws.Agent().PostJson("/api/actions/request", body)).Json();
        var approvalId = first.GetProperty("approvalRequestId").GetString()!;
        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(approvalId)).AssertStatus(HttpStatusCode.OK);

        var replay = await (await ws.Agent().PostJson("/api/actions/request", body)).Json();
        Assert.Equal(("require_approval", approvalId), (replay.GetProperty("decision").GetString(), replay.GetProperty("approvalRequestId").GetString()));
        Assert.Equal("executed", replay.GetProperty("execution").GetProperty("status").GetString());
        Assert.Equal(1, await server.ExecutionsOfAsync(first.GetProperty("actionRequestId").GetString()!));
    }
}

public sealed class ApprovalFlowSqliteTests(ApprovalServer.Sqlite s) : ApprovalFlowTests(s), IClassFixture<ApprovalServer.Sqlite>;

public sealed class ApprovalFlowPostgresTests(ApprovalServer.Postgres s) : ApprovalFlowTests(s), IClassFixture<ApprovalServer.Postgres>;
