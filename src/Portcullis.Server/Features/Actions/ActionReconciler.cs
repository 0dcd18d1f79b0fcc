using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Server.Features.Actions.Dispatch;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;
using static Portcullis.Server.Features.Actions.ReconcileResult;

namespace Portcullis.Server.Features.Actions;

/// <summary>How an operator settles an action whose outcome is unknown.</summary>
public static class ReconcileOutcome
{
    /// <summary>The provider did act (checked with the provider): record it as executed.</summary>
    public const string Executed = "executed";

    /// <summary>The provider did not act: record it as failed.</summary>
    public const string Failed = "failed";

    /// <summary>The provider did not act and it should: send it again.</summary>
    public const string Retry = "retry";

    public static readonly string[] All = [Executed, Failed, Retry];
}

/// <summary>An admin's reconciliation of one action request of their workspace.</summary>
public sealed record ReconcileCommand(string WorkspaceId, string UserId, string ActionRequestId, string Outcome, string? Comment);

public abstract record ReconcileResult
{
    private ReconcileResult()
    {
    }

    public sealed record Reconciled(string ActionRequestId, string Status) : ReconcileResult;

    public sealed record NotFound(string ActionRequestId) : ReconcileResult;

    /// <summary>Only an action whose outcome is <c>unknown</c> can be reconciled; this one is <paramref name="Status"/>.</summary>
    public sealed record NotReconcilable(string ActionRequestId, string Status) : ReconcileResult;
}

/// <summary>
/// Settles an <c>unknown</c> execution in one transaction: the action's status and stored answer, the execution row (or,
/// for a retry, a queued dispatch job that the worker sends), a timeline entry and an audit entry.
/// </summary>
public sealed class ActionReconciler(Database database, JobStore jobs, Timeline timeline, AuditTrail audit, TimeProvider time)
{
    public Task<ReconcileResult> ReconcileAsync(ReconcileCommand command, CancellationToken ct) =>
        database.WriteAsync((c, t) => ReconcileAsync(c, t, command), r => r is Reconciled, ct);

    private async Task<ReconcileResult> ReconcileAsync(DbConnection c, DbTransaction t, ReconcileCommand command)
    {
        var row = await c.QueryFirstOrDefaultAsync<Target>(
            """
            SELECT r.id AS Id, r.status AS Status, r.run_id AS RunId, r.response AS Response, e.id AS ExecutionId
            FROM action_requests r LEFT JOIN executions e ON e.action_request_id = r.id
            WHERE r.id = @ActionRequestId AND r.workspace_id = @WorkspaceId
            """ + database.Dialect.ForNoKeyUpdateOf("r"), command, t);
        if (row is null)
        {
            return new NotFound(command.ActionRequestId);
        }

        if (row.Status != ActionStatus.Unknown || row.ExecutionId is null)
        {
            return new NotReconcilable(command.ActionRequestId, row.Status);
        }

        var now = time.Now();
        var status = command.Outcome == ReconcileOutcome.Retry ? ActionStatus.Executing : command.Outcome;
        if (command.Outcome == ReconcileOutcome.Retry)
        {
            // Sent again by the worker; its execution replaces this one. The operator has checked it did not happen.
            await jobs.EnqueueAsync(c, t, command.WorkspaceId, ActionExecutor.JobKind, row.Id, now);
            await c.ExecuteAsync("UPDATE action_requests SET status = @status WHERE id = @Id", new { status, row.Id }, t);
        }
        else
        {
            await SettleAsync(c, t, command, row, now);
        }

        var entry = new { actionRequestId = row.Id, outcome = command.Outcome, comment = command.Comment, userId = command.UserId };
        await timeline.AppendSystemAsync(c, t, command.WorkspaceId, row.RunId, "action.reconciled", entry);
        await audit.AppendAsync(c, t, command.WorkspaceId, Actor.User(command.UserId), "action.reconciled", "action_request", row.Id, entry);
        return new Reconciled(row.Id, status);
    }

    private static async Task SettleAsync(DbConnection c, DbTransaction t, ReconcileCommand command, Target row, long now)
    {
        var error = command.Outcome == ReconcileOutcome.Failed
            ? JsonSerializer.Serialize(new ExecutionErrorDto("reconciled_failed",
                "an operator found that the provider did not act" + (command.Comment is { Length: > 0 } why ? $": {why}" : ""), null, null))
            : null;
        await c.ExecuteAsync("UPDATE executions SET status = @Outcome, error = @error, completed_at = @now WHERE id = @ExecutionId",
            new { command.Outcome, error, now, row.ExecutionId }, t);
        var execution = await c.QueryFirstAsync<ExecutionRow>(
            $"SELECT {ExecutionRow.Columns} FROM executions WHERE id = @ExecutionId", new { row.ExecutionId }, t);
        var answer = row.Response is null ? null : ExecutionRecords.WithExecution(row.Response, execution.ToDto());
        await c.ExecuteAsync("UPDATE action_requests SET status = @Outcome, response = COALESCE(@answer, response) WHERE id = @Id",
            new { command.Outcome, answer, row.Id }, t);
    }

    private sealed class Target
    {
        public string Id { get; init; } = "";
        public string Status { get; init; } = "";
        public string RunId { get; init; } = "";
        public string? Response { get; init; }
        public string? ExecutionId { get; init; }
    }
}
