using Dapper;
using Portcullis.Connectors;
using Portcullis.Server.Features.Approvals.Callbacks;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Changes;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions.Dispatch;

/// <summary>
/// Completes a dispatch job: the execution row, the action's final status and answer, the timeline and audit entries and
/// the approval callback are written in the one transaction that marks the job done — all of it, or (when this instance
/// lost the lease) none of it.
/// </summary>
public sealed class ExecutionWriter(
    Database database, JobStore jobs, ExecutionRecords records, CallbackOutbox outbox, Runs.Timeline timeline, WorkflowWake workflows,
    IChangeFeed changes, TimeProvider time)
{
    /// <summary>Records what the connector answered; returns the final answer, or null when the lease was lost.</summary>
    public Task<string?> CompleteAsync(ClaimedJob job, DispatchTarget target, ConnectorResult result) =>
        WriteAsync(job, target, records.Of(target.Provider, target.ActionType, target.ActionRequestId, result),
            alert: McpGateway.McpErrorCodes.IsPinRefusal(result.Error?.ProviderCode) ? $"{target.ActionType} refused: {result.Error!.Message}" : null);

    /// <summary>
    /// The job was started by a process that died, and the call is not safe to send again: nobody knows whether the
    /// provider acted. The execution becomes <c>unknown</c>, with an alert, for an operator to reconcile.
    /// </summary>
    public Task<string?> RecordUnknownAsync(ClaimedJob job, DispatchTarget target)
    {
        var now = time.Now();
        var row = new ExecutionRow
        {
            Id = Ids.New("exe", time),
            Provider = target.Provider,
            ActionType = target.ActionType,
            Status = ActionStatus.Unknown,
            Attempts = job.StartedBefore,
            Simulated = false,
            StartedAt = now,
            CompletedAt = now,
            Error = System.Text.Json.JsonSerializer.Serialize(new ExecutionErrorDto(ActionErrorCodes.OutcomeUnknown,
                $"the server stopped while this {target.ActionType} call was in flight; it is not safe to send twice, so it was not sent again: "
                + $"check with {target.Provider} and reconcile it (POST /api/actions/{target.ActionRequestId}/reconcile)", null, null)),
        };
        return WriteAsync(job, target, records.Of(target.ActionRequestId, row),
            alert: $"outcome of {target.ActionType} unknown after a restart: reconcile it");
    }

    private async Task<string?> WriteAsync(ClaimedJob job, DispatchTarget target, ExecutionRecord execution, string? alert)
    {
        var answer = ExecutionRecords.WithExecution(target.DecisionAnswer, execution.Dto.WithEdit(target.EditedPayload));
        var written = await database.WriteAsync(async (c, t) =>
        {
            if (!await jobs.CompleteAsync(c, t, job))
            {
                return false;
            }

            await PreparedSql.ExecuteAsync(c, t, "UPDATE action_requests SET status = @status, response = @answer WHERE id = @id",
                ("status", execution.Row.Status), ("answer", answer), ("id", target.ActionRequestId));
            await records.WriteAsync(c, t, target.WorkspaceId, target.RunId, target.ActionRequestId, execution);
            if (alert is not null)
            {
                await AlertAsync(c, t, target, alert);
            }

            // An approved action's agent hears the result, not just the decision, so its callback waits for the execution.
            var approvalId = await c.ExecuteScalarAsync<string?>(
                "SELECT id FROM approvals WHERE action_request_id = @id AND status = 'approved'", new { id = target.ActionRequestId }, t);
            if (approvalId is not null)
            {
                await outbox.EnqueueAsync(c, t, approvalId, target.WorkspaceId, Approvals.ApprovalStatus.Approved, time.Now());
                // A long-poll of an approved call answers once its execution is recorded.
                changes.PublishOnCommit(t, ChangeTopics.Approval, approvalId);
            }

            // A workflow step waiting on this call (it was approved, or recovery finished it) goes on.
            await workflows.OnActionSettledAsync(c, t, target.WorkflowRunId);

            return true;
        }, ok => ok, CancellationToken.None);
        return written ? answer : null;
    }

    private async Task AlertAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, DispatchTarget target, string reason)
    {
        var alertId = Ids.New("alr", time);
        await c.ExecuteAsync(
            """
            INSERT INTO alerts (id, workspace_id, run_id, agent_id, action_request_id, action_type, reason, policies, created_at)
            VALUES (@alertId, @WorkspaceId, @RunId, @AgentId, @ActionRequestId, @ActionType, @reason, '[]', @now)
            """,
            new { alertId, target.WorkspaceId, target.RunId, target.AgentId, target.ActionRequestId, target.ActionType, reason, now = time.Now() }, t);
        await timeline.AppendSystemAsync(c, t, target.WorkspaceId, target.RunId, "alert.raised", new { alertId, actionRequestId = target.ActionRequestId, reason });
    }
}
