using System.Text.Json;
using Portcullis.Client;

namespace RefundAgent;

internal sealed record Ticket(string Id, string CustomerTier, string Message);

/// <summary>How the run ends (null: left open while an approval is pending) and the ticket's outcome.</summary>
internal sealed record Outcome(RunEndStatus? Status, string Name);

/// <summary>
/// Opens a run, logs what the agent did, asks Portcullis for the refund, acts on each of the four
/// decisions, logs the outcome and always ends the run.
/// </summary>
internal sealed class RefundFlow(PortcullisClient portcullis, Uri dashboard, Ticket ticket, long amount, TimeSpan approvalTimeout)
{
    private readonly Dictionary<string, object?> _summary = new() { ["runId"] = null, ["decision"] = null, ["finalStatus"] = null };

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        RunLog? runLog = null;
        var ending = new Outcome(RunEndStatus.Failed, "refund_failed"); // what an exception leaves behind
        var exitCode = 0;
        try
        {
            var run = await portcullis.StartRunAsync(
                new StartRunRequest { TriggerType = "support-ticket", ExternalRef = ticket.Id, AgentVersion = "1.0.0" }, ct);
            runLog = new RunLog(portcullis, run.RunId);
            _summary["runId"] = run.RunId;
            Console.WriteLine($"run started: {run.RunId} ({run.Status})");

            await runLog.AddAsync("context.retrieved", new { source = "knowledge-base", query = ticket.Message, documentsFound = 3 }, ct);
            await runLog.AddAsync("intent.classified", new { intent = "refund-request", confidence = 0.95 }, ct);

            var result = await portcullis.RequestActionAsync(new ActionRequest
            {
                RunId = run.RunId,
                ActionType = "refund.create",
                Provider = "stripe",
                ResourceType = "charge",
                ResourceId = "ch_3OabcEXAMPLE",
                Payload = new Dictionary<string, object>
                {
                    ["charge"] = "ch_3OabcEXAMPLE",
                    ["amount"] = amount,
                    ["reason"] = "requested_by_customer",
                    ["metadata"] = new Dictionary<string, string> { ["ticket_id"] = ticket.Id },
                },
                Evidence = new { confidence = 0.95, customerTier = ticket.CustomerTier },
            }, ct);
            _summary["decision"] = result.Decision;
            Console.WriteLine($"refund.create of {amount} for {ticket.Id}: {result.Decision} ({result.Reason})");

            ending = await HandleAsync(result, runLog, ct);
            await runLog.AddAsync(ending.Name == "refunded" ? "ticket.resolved" : "ticket.escalated", new { ticketId = ticket.Id, outcome = ending.Name }, ct);
        }
        catch (Exception e) when (e is PortcullisException or PortcullisConnectionException)
        {
            Report(e);
            exitCode = 1;
        }
        finally
        {
            if (runLog is not null && ending.Status is { } status && !await EndAsync(runLog.RunId, status))
            {
                exitCode = 1;
            }

            _summary["finalStatus"] = runLog is null ? null : ending.Status is { } s ? Wire(s) : "awaiting_approval";
            Console.WriteLine(JsonSerializer.Serialize(_summary));
        }

        return exitCode;
    }

    private async Task<Outcome> HandleAsync(ActionResult result, RunLog runLog, CancellationToken ct)
    {
        switch (result)
        {
            case Allowed allowed: // allow or allow_with_alert
                if (allowed.WithAlert)
                {
                    Console.WriteLine("allowed with an alert: the team has been notified");
                }

                return await ExecutedAsync(allowed.Execution, runLog, ct);
            case ApprovalRequired pending:
                var approvalId = pending.ApprovalRequestId;
                _summary["approvalRequestId"] = approvalId;
                Console.WriteLine($"approval requested: {approvalId}");
                Console.WriteLine($"waiting up to {approvalTimeout.TotalSeconds:0} s for a human: approve or reject it at {new Uri(dashboard, $"/approvals/{approvalId}")}");
                await runLog.AddAsync("action.pending", new { approvalRequestId = approvalId }, ct);
                var approval = await portcullis.WaitForApprovalAsync(approvalId, approvalTimeout, cancellationToken: ct);
                _summary["approvalStatus"] = approval.Status;
                if (approval.Status == "approved")
                {
                    Console.WriteLine($"approval approved by {approval.DecidedBy ?? "an approver"}");
                    return await ExecutedAsync(approval.Execution, runLog, ct);
                }

                if (approval.IsPending)
                {
                    Console.WriteLine("approval still pending: the run stays awaiting_approval");
                    return new Outcome(null, "awaiting_approval");
                }

                Console.WriteLine($"approval {approval.Status}{(approval.Comment is null ? "" : $": {approval.Comment}")}");
                await runLog.AddAsync("action.rejected", new { approvalRequestId = approvalId, status = approval.Status, comment = approval.Comment }, ct);
                return new Outcome(RunEndStatus.Blocked, $"refund_{approval.Status}");
            case Blocked blocked:
                Console.WriteLine($"blocked: {blocked.Reason}");
                await runLog.AddAsync("action.blocked", new { reason = blocked.Reason, policies = blocked.MatchedPolicies.Select(p => p.Name) }, ct);
                return new Outcome(RunEndStatus.Blocked, "refund_blocked");
            default:
                throw new InvalidOperationException($"unexpected decision `{result.Decision}`");
        }
    }

    /// <summary>An allowed action ran through the connector, which either executed it or failed.</summary>
    private async Task<Outcome> ExecutedAsync(Execution? execution, RunLog runLog, CancellationToken ct)
    {
        _summary["executionStatus"] = execution?.Status;
        if (execution is { Succeeded: false })
        {
            _summary["executionError"] = execution.Error?.Code;
            Console.WriteLine($"connector failed: {execution.Error?.Code ?? "error"}: {execution.Error?.Message ?? "no details"}");
            await runLog.AddAsync("action.failed", new { execution }, ct);
            return new Outcome(RunEndStatus.Failed, "refund_failed");
        }

        var refundId = execution?.ResponsePayload is { ValueKind: JsonValueKind.Object } refund && refund.TryGetProperty("id", out var id)
            ? id.GetString()
            : "no refund id";
        Console.WriteLine($"refund executed: {refundId}{(execution?.Simulated == true ? " (simulated)" : "")}");
        await runLog.AddAsync("action.completed", new { execution }, ct);
        return new Outcome(RunEndStatus.Completed, "refunded");
    }

    /// <summary>Ends the run; a run that has already ended is fine. False when the run could not be ended.</summary>
    private async Task<bool> EndAsync(string runId, RunEndStatus status)
    {
        try
        {
            var run = await portcullis.EndRunAsync(runId, status, CancellationToken.None);
            Console.WriteLine($"run ended: {run.Status}");
            return true;
        }
        catch (PortcullisException e) when (e.Code == "run_ended")
        {
            Console.WriteLine("run had already ended");
            return true;
        }
        catch (Exception e) when (e is PortcullisException or PortcullisConnectionException)
        {
            Report(e);
            return false;
        }
    }

    private void Report(Exception error)
    {
        if (error is not PortcullisException e)
        {
            _summary["error"] = new { message = error.Message };
            Console.WriteLine($"error: {error.Message}");
            return;
        }

        _summary["error"] = new { status = e.Status, code = e.Code, isUnauthorized = e.IsUnauthorized };
        Console.WriteLine(e.IsUnauthorized
            ? "unauthorized: the agent key is missing, unknown or revoked; create a new key in the dashboard"
            : $"error: {e.Status} {e.Code}: {e.Message} (request {e.RequestId ?? "?"})");
    }

    private static string Wire(RunEndStatus status) => status switch
    {
        RunEndStatus.Completed => "completed",
        RunEndStatus.Blocked => "blocked",
        _ => "failed",
    };
}
