namespace Portcullis.Client.Tests;

/// <summary>The C# quick start of docs/sdks.md, with the client and ticket passed in.</summary>
public sealed class QuickStartTests : ClientTestBase
{
    private static readonly Reply Started = Fixtures.Json(new { runId = "run_1", status = "running" }, 201);
    private static readonly Reply Logged = Fixtures.Json(new { accepted = 1, duplicates = 0 });

    [Fact]
    public async Task Ends_the_run_completed_after_an_executed_action()
    {
        Server.Reply(Started, Logged, Fixtures.Json(Fixtures.ActionAnswer("allow", new() { ["execution"] = Fixtures.Execution() })), Fixtures.Json(Fixtures.Run()));

        await HandleTicketAsync(Client, new Ticket("TKT-1042", "premium", "my blender broke"), CancellationToken.None);

        Assert.Equal(["/api/ingest/run-start", "/api/ingest/events", "/api/actions/request", "/api/ingest/run-end"], Server.Received.Select(r => r.PathAndQuery));
        CallTests.AssertJson("""{"runId":"run_1","status":"completed"}""", Server.Received[3].Body);
    }

    [Fact]
    public async Task Waits_for_the_approval_then_ends_the_run_by_its_outcome()
    {
        Server.Reply(
            Started,
            Logged,
            Fixtures.Json(Fixtures.ActionAnswer("require_approval", new() { ["approvalRequestId"] = "apr_1" })),
            Fixtures.Json(Fixtures.Approval("rejected")),
            Fixtures.Json(Fixtures.Run("blocked")));

        await HandleTicketAsync(Client, new Ticket("TKT-1042", "premium", "my blender broke"), CancellationToken.None);

        Assert.Equal("/api/approvals/apr_1?waitSeconds=60", Server.Received[3].PathAndQuery);
        CallTests.AssertJson("""{"runId":"run_1","status":"blocked"}""", Server.Received[4].Body);
    }

    [Fact]
    public async Task Ends_the_run_failed_when_a_call_throws()
    {
        Server.Reply(Started, Fixtures.Json(Fixtures.Problem(400, "validation_failed", "bad event"), 400), Fixtures.Json(Fixtures.Run("failed")));

        await Assert.ThrowsAsync<PortcullisException>(() => HandleTicketAsync(Client, new Ticket("TKT-1042", "premium", "x"), CancellationToken.None));

        CallTests.AssertJson("""{"runId":"run_1","status":"failed"}""", Server.Received[2].Body);
    }

    private sealed record Ticket(string Id, string CustomerTier, string Message);

    private static async Task HandleTicketAsync(PortcullisClient portcullis, Ticket ticket, CancellationToken ct)
    {
        var run = await portcullis.StartRunAsync(new StartRunRequest { TriggerType = "support-ticket", ExternalRef = ticket.Id }, ct);
        var nextSeq = 2L; // sequenceNo 1 is the server's run.started
        RunEndStatus? finalStatus = RunEndStatus.Failed; // what an exception leaves behind
        try
        {
            await portcullis.LogEventsAsync(run.RunId, [new RunEvent("context.retrieved", nextSeq++, new { query = ticket.Message })], ct);

            var result = await portcullis.RequestActionAsync(new ActionRequest
            {
                RunId = run.RunId,
                ActionType = "refund.create",
                Provider = "stripe",
                Payload = new { charge = "ch_3OabcEXAMPLE", amount = 7999, reason = "requested_by_customer" },
                Evidence = new { confidence = 0.95, customerTier = ticket.CustomerTier },
            }, ct);

            switch (result)
            {
                case Allowed { Execution: { Succeeded: false } }:
                    break;
                case Allowed:
                    finalStatus = RunEndStatus.Completed;
                    break;
                case ApprovalRequired pending:
                    var approval = await portcullis.WaitForApprovalAsync(pending.ApprovalRequestId, TimeSpan.FromMinutes(10), cancellationToken: ct);
                    finalStatus = approval.IsPending ? null
                        : approval.Status == "approved" ? RunEndStatus.Completed : RunEndStatus.Blocked;
                    break;
                case Blocked:
                    finalStatus = RunEndStatus.Blocked;
                    break;
            }
        }
        finally
        {
            if (finalStatus is { } status)
            {
                await portcullis.EndRunAsync(run.RunId, status, CancellationToken.None);
            }
        }
    }
}
