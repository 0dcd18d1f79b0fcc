using System.Data.Common;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// When a workflow step's action settles after its run started waiting (an approval decided, or the approved call's
/// execution recorded), queues the run's job again, inside the transaction that settled it. Locks the workflow run's row
/// first: <see cref="WorkflowRunWriter.ParkAsync"/> takes the same lock, so either the runner sees the settled action and
/// does not wait, or this sees the run waiting and wakes it.
/// </summary>
public sealed class WorkflowWake(Database database, JobStore jobs, TimeProvider time)
{
    /// <param name="workflowRunId">The action request's workflow run, as its caller already read it; null (nothing to do) outside workflows.</param>
    public async Task OnActionSettledAsync(DbConnection c, DbTransaction t, string? workflowRunId)
    {
        // The caller carries the workflow run id it loaded with the action, so settling an action outside a workflow — every
        // live call and approval — costs no query here.
        if (workflowRunId is null)
        {
            return;
        }

        await database.Dialect.LockRowAsync(c, t, "workflow_runs", workflowRunId);
        var run = await c.QueryFirstOrDefaultAsync<(string WorkspaceId, string Status)>(
            "SELECT workspace_id, status FROM workflow_runs WHERE id = @workflowRunId", new { workflowRunId }, t);
        if (run.Status != WorkflowRunStatus.AwaitingApproval)
        {
            return;
        }

        await c.ExecuteAsync("UPDATE workflow_runs SET status = 'running', updated_at = @now WHERE id = @workflowRunId",
            new { workflowRunId, now = time.Now() }, t);
        await jobs.EnqueueAsync(c, t, run.WorkspaceId, WorkflowRunner.JobKind, workflowRunId, time.Now());
    }
}
