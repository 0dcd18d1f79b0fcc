using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>
/// Exactly once: however many approve calls race, the connector sees one call and one execution is stored. Live
/// mode against the fake Stripe, so the count is of real HTTP calls.
/// </summary>
public abstract class ApprovalConcurrencyTests(ApprovalServer server)
{
    private const int Callers = 20;

    [Fact]
    public async Task Twenty_distinct_approvers_at_once_execute_the_action_exactly_once()
    {
        var (ws, r) = await LiveRefundAsync(approvalsRequired: 1);
        var approvers = (await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => ws.MemberTokenAsync("approver")))).Select(server.WithBearer).ToList();

        var answers = await Task.WhenAll(approvers.Select(a => a.ApproveAsync(r.ApprovalId)));

        await AssertOneWinnerAsync(answers, winners: 1);
        await AssertExecutedOnceAsync(ws, r);
    }

    [Fact]
    public async Task One_approver_clicking_twenty_times_at_once_executes_the_action_exactly_once()
    {
        var (ws, r) = await LiveRefundAsync(approvalsRequired: 1);
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));

        var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => approver.ApproveAsync(r.ApprovalId)));

        await AssertOneWinnerAsync(answers, winners: 1);
        await AssertExecutedOnceAsync(ws, r);
    }

    [Fact]
    public async Task Twenty_approvers_racing_on_a_two_approver_request_count_two_and_execute_once()
    {
        var (ws, r) = await LiveRefundAsync(approvalsRequired: 2);
        var approvers = (await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => ws.MemberTokenAsync("approver")))).Select(server.WithBearer).ToList();

        var answers = await Task.WhenAll(approvers.Select(a => a.ApproveAsync(r.ApprovalId)));

        // The first approval counts, the second decides, the other eighteen find it decided.
        await AssertOneWinnerAsync(answers, winners: 2);
        await AssertExecutedOnceAsync(ws, r);
        Assert.Equal(2, (await ws.Agent().ApprovalAsync(r.ApprovalId)).GetProperty("approvalsReceived").GetInt32());
    }

    private async Task<(TestWorkspace Ws, Requested R)> LiveRefundAsync(int approvalsRequired)
    {
        var ws = await server.NewWorkspaceAsync();
        await GoLiveAsync(ws.Owner(), ws.AgentId!);
        await RequireApprovalAsync(ws.Owner(), approvalsRequired: approvalsRequired);
        return (ws, await RequestRefundAsync(ws.Agent()));
    }

    private static async Task AssertOneWinnerAsync(HttpResponseMessage[] answers, int winners)
    {
        Assert.Equal(winners, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        foreach (var loser in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            await loser.AssertProblem(HttpStatusCode.Conflict, "already_decided");
        }
    }

    private async Task AssertExecutedOnceAsync(TestWorkspace ws, Requested r)
    {
        Assert.Equal(1, server.Stripe.RefundsFor(r.ActionRequestId));
        Assert.Equal(1, await server.ExecutionsOfAsync(r.ActionRequestId));
        var execution = (await ws.Agent().ApprovalAsync(r.ApprovalId)).GetProperty("execution");
        Assert.Equal(("executed", false), (execution.GetProperty("status").GetString(), execution.GetProperty("simulated").GetBoolean()));
        Assert.Equal("re_fake123", execution.GetProperty("response_payload").GetProperty("id").GetString());
    }
}

public sealed class ApprovalConcurrencySqliteTests(ApprovalServer.Sqlite s) : ApprovalConcurrencyTests(s), IClassFixture<ApprovalServer.Sqlite>;

public sealed class ApprovalConcurrencyPostgresTests(ApprovalServer.Postgres s) : ApprovalConcurrencyTests(s), IClassFixture<ApprovalServer.Postgres>;
