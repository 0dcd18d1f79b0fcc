using System.Diagnostics;
using System.Net;
using Portcullis.Server.Tests.Infrastructure;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Approvals;

/// <summary>How an agent waits: the long-poll, and approvals that nobody decides in time.</summary>
public abstract class ApprovalWaitingTests(ApprovalServer server)
{
    [Fact]
    public async Task A_long_poll_returns_as_soon_as_the_approval_is_decided_with_its_execution()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));
        var clock = Stopwatch.StartNew();

        var poll = ws.Agent().ApprovalAsync(r.ApprovalId, waitSeconds: 30);
        await Task.Delay(500);
        Assert.False(poll.IsCompleted);
        await (await approver.ApproveAsync(r.ApprovalId)).AssertStatus(HttpStatusCode.OK);
        var decided = await poll.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the long-poll took {clock.Elapsed}");
        Assert.Equal("approved", decided.GetProperty("status").GetString());
        Assert.Equal("executed", decided.GetProperty("execution").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_long_poll_answers_the_pending_approval_when_its_time_is_up()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var clock = Stopwatch.StartNew();

        var pending = await ws.Agent().ApprovalAsync(r.ApprovalId, waitSeconds: 1);

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(8));
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal("pending", (await ws.Owner().ApprovalAsync(r.ApprovalId, waitSeconds: 0)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("61")]
    [InlineData("-1")]
    [InlineData("soon")]
    public async Task WaitSeconds_outside_0_to_60_is_a_validation_error(string waitSeconds)
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());

        var problem = await (await ws.Agent().GetAsync($"/api/approvals/{r.ApprovalId}?waitSeconds={waitSeconds}"))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("waitSeconds", out _));
    }

    [Fact]
    public async Task Any_bad_credential_reading_an_approval_gets_the_same_401()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());

        foreach (var client in new[] { server.Anonymous(), server.WithBearer("pk_live_NotARealKey000000000000000000"), server.WithBearer("pat_NotARealToken0000000000000000000") })
        {
            var problem = await (await client.GetAsync($"/api/approvals/{r.ApprovalId}")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Equal("a valid API key or token is required", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_past_due_approval_expires_when_read_never_executes_and_refuses_later_decisions()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));
        await server.ExpireNowAsync(r.ApprovalId);

        var expired = await ws.Agent().ApprovalAsync(r.ApprovalId);

        Assert.Equal("expired", expired.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, expired.GetProperty("decidedAt").ValueKind);
        var refused = await (await approver.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Conflict, "already_decided");
        Assert.Contains("expired", refused.GetProperty("detail").GetString());
        await (await approver.RejectAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Conflict, "already_decided");
        Assert.Equal(0, await server.ExecutionsOfAsync(r.ActionRequestId));
        Assert.Equal("running", await RunStatusAsync(ws.Owner(), r.RunId));
        Assert.Equal("expired", Assert.Single(await TimelineAsync(ws.Owner(), r.RunId, "approval.decided")).GetProperty("payload").GetProperty("status").GetString());
        Assert.Equal(["approval.expired"], await server.AuditActionsAsync(r.ApprovalId));
    }

    [Fact]
    public async Task Deciding_a_past_due_approval_expires_it_instead()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        var approver = server.WithBearer(await ws.MemberTokenAsync("approver"));
        await server.ExpireNowAsync(r.ApprovalId);

        var refused = await (await approver.ApproveAsync(r.ApprovalId)).AssertProblem(HttpStatusCode.Conflict, "already_decided");

        Assert.Contains("expired", refused.GetProperty("detail").GetString());
        Assert.Equal("expired", (await ws.Owner().ApprovalAsync(r.ApprovalId)).GetProperty("status").GetString());
        Assert.Equal(0, server.Stripe.RefundsFor(r.ActionRequestId) + await server.ExecutionsOfAsync(r.ActionRequestId));
        Assert.Equal(["approval.expired"], await server.AuditActionsAsync(r.ApprovalId));
    }
}

public sealed class ApprovalWaitingSqliteTests(ApprovalServer.Sqlite s) : ApprovalWaitingTests(s), IClassFixture<ApprovalServer.Sqlite>;

public sealed class ApprovalWaitingPostgresTests(ApprovalServer.Postgres s) : ApprovalWaitingTests(s), IClassFixture<ApprovalServer.Postgres>;

/// <summary>The background sweep expires approvals that nobody reads.</summary>
public abstract class ApprovalSweepTests(ApprovalServer server)
{
    [Fact]
    public async Task The_sweeper_expires_a_past_due_approval_and_resumes_the_run_without_anyone_reading_it()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent());
        await server.ExpireNowAsync(r.ApprovalId);

        await EventuallyAsync(async () => await server.ScalarAsync<string>("SELECT status FROM approvals WHERE id = @id", new { id = r.ApprovalId }) == "expired",
            TimeSpan.FromSeconds(15), "the sweeper to expire the approval");

        Assert.Equal("running", await RunStatusAsync(ws.Owner(), r.RunId));
        Assert.Equal("expired", await server.ScalarAsync<string>("SELECT status FROM action_requests WHERE id = @id", new { id = r.ActionRequestId }));
        Assert.Equal(["approval.expired"], await server.AuditActionsAsync(r.ApprovalId));
    }
}

public sealed class ApprovalSweepSqliteTests(ApprovalServer.SweepingSqlite s) : ApprovalSweepTests(s), IClassFixture<ApprovalServer.SweepingSqlite>;

public sealed class ApprovalSweepPostgresTests(ApprovalServer.SweepingPostgres s) : ApprovalSweepTests(s), IClassFixture<ApprovalServer.SweepingPostgres>;
