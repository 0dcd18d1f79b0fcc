using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows.Runs;

public abstract record CancelWorkflowRunResult
{
    private CancelWorkflowRunResult()
    {
    }

    public sealed record Cancelled : CancelWorkflowRunResult;

    public sealed record NotFound : CancelWorkflowRunResult;

    public sealed record NotCancellable(string Status) : CancelWorkflowRunResult;
}

/// <summary>
/// Cancels an open workflow run: steps not yet decided are skipped and the Portcullis run ends <c>failed</c>. A runner in
/// the middle of a step finds the run closed when it records the step and stops; a call already sent is not recalled.
/// </summary>
public sealed class CancelWorkflowRun(
    Database database, Timeline timeline, Subscriptions.EventOutbox events, AuditTrail audit, WorkflowRunSignals signals, TimeProvider time)
{
    /// <param name="agentId">When an agent key asks, only its own runs exist for it.</param>
    /// <param name="actor">The member who cancelled, for the audit trail; null for an agent.</param>
    public async Task<CancelWorkflowRunResult> ExecuteAsync(string workspaceId, string workflowRunId, string? agentId, string? actor, CancellationToken ct)
    {
        var now = time.Now();
        var result = await database.WriteAsync<CancelWorkflowRunResult>(async (c, t) =>
        {
            await database.Dialect.LockRowAsync(c, t, "workflow_runs", workflowRunId);
            var run = await c.QueryFirstOrDefaultAsync<WorkflowRunRow>(
                $"SELECT {WorkflowRunRow.Columns} FROM workflow_runs WHERE id = @workflowRunId AND workspace_id = @workspaceId", new { workflowRunId, workspaceId }, t);
            if (run is null || (agentId is not null && run.AgentId != agentId))
            {
                return new CancelWorkflowRunResult.NotFound();
            }

            if (!WorkflowRunStatus.IsOpen(run.Status))
            {
                return new CancelWorkflowRunResult.NotCancellable(run.Status);
            }

            var error = new WorkflowError(WorkflowErrorCodes.Cancelled, actor is null ? "cancelled by the agent" : "cancelled by a member");
            await c.ExecuteAsync(
                "UPDATE workflow_runs SET status = 'cancelled', error = @error, completed_at = @now, updated_at = @now WHERE id = @workflowRunId",
                new { workflowRunId, error = error.Serialize(), now }, t);
            await c.ExecuteAsync(
                "UPDATE workflow_run_steps SET status = 'skipped' WHERE workflow_run_id = @workflowRunId AND status IN ('pending', 'running', 'awaiting_approval')",
                new { workflowRunId }, t);
            await WorkflowRunWriter.EndRunAsync(c, t, timeline, events, run, WorkflowRunStatus.Cancelled, error, now);
            await audit.AppendAsync(c, t, workspaceId, actor is null ? Actor.Agent(run.AgentId) : Actor.User(actor), "workflow_run.cancelled",
                "workflow_run", workflowRunId, new { run.WorkflowId, run.RunId });
            return new CancelWorkflowRunResult.Cancelled();
        }, r => r is CancelWorkflowRunResult.Cancelled, ct);
        signals.Notify(workflowRunId);
        return result;
    }
}
