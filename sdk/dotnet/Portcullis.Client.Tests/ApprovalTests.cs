using System.Diagnostics;

namespace Portcullis.Client.Tests;

public sealed class ApprovalTests : ClientTestBase
{
    private static readonly Reply Pending = Fixtures.Json(Fixtures.Approval());

    [Fact]
    public async Task Long_polls_until_decided_and_returns_the_approval_with_its_execution()
    {
        Server.Reply(Pending, Fixtures.Json(Fixtures.Approval("approved", Fixtures.Execution())));

        var approval = await Client.WaitForApprovalAsync("apr_1", TimeSpan.FromMilliseconds(2999), TimeSpan.FromMilliseconds(10));

        Assert.Equal("approved", approval.Status);
        Assert.Equal("usr_1", approval.DecidedBy);
        Assert.Equal(12, approval.PolicyRevision);
        Assert.Equal("exe_1", approval.Execution?.Id);
        Assert.Equal("/api/approvals/apr_1?waitSeconds=2", Server.Received[0].PathAndQuery);
        Assert.Matches(@"^/api/approvals/apr_1\?waitSeconds=[12]$", Server.Received[1].PathAndQuery);
    }

    [Fact]
    public async Task Reads_the_digest_and_the_edited_payload_of_the_approval_and_its_execution()
    {
        var execution = Fixtures.Execution();
        execution["edited"] = true;
        execution["payload"] = new { amount = 4000 };
        var approval = Fixtures.Approval("approved", execution);
        approval["argumentsDigest"] = new string('a', 64);
        approval["edited"] = true;
        approval["editedPayload"] = new { amount = 4000 };
        approval["editedArgumentsDigest"] = new string('c', 64);
        Server.Reply(Fixtures.Json(approval));

        var read = await Client.GetApprovalAsync("apr_1");

        Assert.Equal((new string('a', 64), true, new string('c', 64)), (read.ArgumentsDigest, read.Edited, read.EditedArgumentsDigest));
        Assert.Equal(4000, read.EditedPayload?.GetProperty("amount").GetInt32());
        Assert.True(read.Execution!.Edited);
        Assert.Equal(4000, read.Execution.Payload?.GetProperty("amount").GetInt32());
    }

    [Fact]
    public async Task Asks_for_at_most_60_seconds_per_long_poll()
    {
        Server.Reply(Fixtures.Json(Fixtures.Approval("rejected")));

        await Client.WaitForApprovalAsync("apr_1", TimeSpan.FromMinutes(10));

        Assert.Equal("/api/approvals/apr_1?waitSeconds=60", Assert.Single(Server.Received).PathAndQuery);
    }

    [Fact]
    public async Task A_held_long_poll_does_not_count_against_the_request_time_out()
    {
        // The client's time-out is 400 ms; the server holds the poll for 1.2 s of the 4 s asked for.
        using var client = ShortTimeoutClient();
        Server.Reply(Fixtures.Json(Fixtures.Approval("approved")) with { Delay = TimeSpan.FromMilliseconds(1200) });

        var approval = await client.WaitForApprovalAsync("apr_1", TimeSpan.FromSeconds(4.5));

        Assert.Equal("approved", approval.Status);
        Assert.Single(Server.Received);
    }

    [Fact]
    public async Task Returns_the_approval_still_pending_when_the_time_is_up()
    {
        // Plenty of replies: Task.Delay runs on a coarse tick (up to 10 ms per pause on some kernels), so
        // 50 ms pauses over 900 ms can make more than 18 polls.
        Server.Reply([.. Enumerable.Repeat(Pending, 100)]);
        var clock = Stopwatch.StartNew();

        var approval = await Client.WaitForApprovalAsync("apr_1", TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(50));

        Assert.True(approval.IsPending);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"waited {clock.Elapsed}");
        Assert.True(Server.Received.Count >= 2);
        // Under a second left: plain polls, no long-poll parameter.
        Assert.Equal("/api/approvals/apr_1", Server.Received[0].PathAndQuery);
    }

    [Fact]
    public async Task An_expired_approval_ends_the_wait()
    {
        Server.Reply(Fixtures.Json(Fixtures.Approval("expired")));

        Assert.Equal("expired", (await Client.WaitForApprovalAsync("apr_1", TimeSpan.FromSeconds(5))).Status);
    }

    [Fact]
    public async Task Cancelling_ends_the_wait()
    {
        Server.Reply([.. Enumerable.Repeat(Pending, 100)]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Client.WaitForApprovalAsync("apr_1", TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(100), cancel.Token));
    }
}
