using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// Every write of a running workflow, each one transaction guarded by the job's lease (a runner that lost its job to
/// another instance writes nothing) and by the run still being open (a cancel wins over a step finishing).
/// </summary>
public sealed class WorkflowRunWriter(
    Database database, JobStore jobs, Timeline timeline, Subscriptions.EventOutbox events, WorkflowRunSignals signals, TimeProvider time)
{
    public enum Written { Recorded, Finished, Lost, Closed, Parked, NotParked }

    /// <summary>
    /// Records what a step came to. When <paramref name="runStatus"/> is given the run ends with it: later steps are
    /// skipped, the Portcullis run ends, the job completes.
    /// </summary>
    public async Task<Written> RecordStepAsync(ClaimedJob job, WorkflowRunState state, StepRow step, string? runStatus, WorkflowError? error)
    {
        var now = time.Now();
        var written = await database.WriteAsync(async (c, t) => await jobs.TouchAsync(c, t, job)
            ? await RecordStepInAsync(c, t, job, state, step, runStatus, error, now)
            : Written.Lost, w => w is not Written.Lost, CancellationToken.None);
        Settled(state, written, runStatus, error, now);
        return written;
    }

    /// <summary>
    /// First in a transaction that will record a step (<see cref="StepDecisionHook"/>): the lease guard, then the run's row
    /// lock, in the order <see cref="RecordStepAsync"/> takes them. False when this instance no longer holds the job.
    /// </summary>
    public async Task<bool> HoldAsync(DbConnection c, DbTransaction t, ClaimedJob job, string workflowRunId)
    {
        if (!await jobs.TouchAsync(c, t, job))
        {
            return false;
        }

        await database.Dialect.LockRowAsync(c, t, "workflow_runs", workflowRunId);
        return true;
    }

    /// <summary>
    /// <see cref="RecordStepAsync"/> inside a transaction that has already touched the job's lease; the caller calls
    /// <see cref="Settled"/> once it has committed.
    /// </summary>
    public async Task<Written> RecordStepInAsync(
        DbConnection c, DbTransaction t, ClaimedJob job, WorkflowRunState state, StepRow step, string? runStatus, WorkflowError? error, long now)
    {
        if (!await UpdateRunAsync(c, t, state.Run.Id, runStatus ?? WorkflowRunStatus.Running, error, runStatus is null ? null : now, now))
        {
            await jobs.CompleteAsync(c, t, job);
            return Written.Closed;
        }

        await UpdateStepAsync(c, t, state.Run.Id, step);
        if (runStatus is null)
        {
            return Written.Recorded;
        }

        await FinishAsync(c, t, job, state, runStatus, error, now);
        return Written.Finished;
    }

    /// <summary>
    /// The step is held for approval: the run waits and the job ends, unless the approval was decided in the meantime. The
    /// workflow run's row lock orders this against the decision's wake-up (<see cref="WorkflowWake"/>), so one of the two
    /// always sees the other.
    /// </summary>
    public async Task<Written> ParkAsync(ClaimedJob job, WorkflowRunState state, StepRow step)
    {
        var now = time.Now();
        var written = await database.WriteAsync(async (c, t) =>
        {
            await database.Dialect.LockRowAsync(c, t, "workflow_runs", state.Run.Id);
            var actionStatus = await c.ExecuteScalarAsync<string?>("SELECT status FROM action_requests WHERE id = @id", new { id = step.ActionRequestId }, t);
            if (actionStatus != ActionStatus.PendingApproval)
            {
                return Written.NotParked;
            }

            if (!await jobs.CompleteAsync(c, t, job))
            {
                return Written.Lost;
            }

            if (!await UpdateRunAsync(c, t, state.Run.Id, WorkflowRunStatus.AwaitingApproval, null, null, now))
            {
                return Written.Closed;
            }

            await UpdateStepAsync(c, t, state.Run.Id, step);
            return Written.Parked;
        }, w => w is Written.Parked or Written.Closed, CancellationToken.None);
        Settled(state, written, written == Written.Parked ? WorkflowRunStatus.AwaitingApproval : null, null, now);
        return written;
    }

    /// <summary>A step's call is in flight elsewhere: the job comes back in <paramref name="delayMs"/>.</summary>
    public Task<bool> RetryLaterAsync(ClaimedJob job, long delayMs) =>
        database.WriteAsync((c, t) => jobs.RescheduleAsync(c, t, job, time.Now() + delayMs), ok => ok, CancellationToken.None);

    /// <summary>Nothing left to do for this run (it ended, or was cancelled): the job ends.</summary>
    public Task CompleteJobAsync(ClaimedJob job) =>
        database.WriteAsync((c, t) => jobs.CompleteAsync(c, t, job), ok => ok, CancellationToken.None);

    // Dapper rather than PreparedSql here: a null timestamp must still go to PostgreSQL typed as bigint.
    private static async Task<bool> UpdateRunAsync(DbConnection c, DbTransaction t, string id, string status, WorkflowError? error, long? completedAt, long now) =>
        await c.ExecuteAsync(
            """
            UPDATE workflow_runs SET status = @status, error = @error, completed_at = @completedAt, updated_at = @now
            WHERE id = @id AND status IN ('running', 'awaiting_approval')
            """, new { status, error = error?.Serialize(), completedAt, now, id }, t) == 1;

    private static Task UpdateStepAsync(DbConnection c, DbTransaction t, string workflowRunId, StepRow s) =>
        c.ExecuteAsync(
            """
            UPDATE workflow_run_steps SET status = @Status, action_request_id = @ActionRequestId, decision = @Decision,
                approval_request_id = @ApprovalRequestId, input = @Input, output = @Output, error = @Error, started_at = @StartedAt, completed_at = @CompletedAt
            WHERE workflow_run_id = @workflowRunId AND position = @Position
            """,
            new { s.Status, s.ActionRequestId, s.Decision, s.ApprovalRequestId, s.Input, s.Output, s.Error, s.StartedAt, s.CompletedAt, workflowRunId, s.Position }, t);

    private async Task FinishAsync(DbConnection c, DbTransaction t, ClaimedJob job, WorkflowRunState state, string status, WorkflowError? error, long now)
    {
        await c.ExecuteAsync(
            "UPDATE workflow_run_steps SET status = 'skipped' WHERE workflow_run_id = @id AND status IN ('pending', 'running', 'awaiting_approval')",
            new { id = state.Run.Id }, t);
        await EndRunAsync(c, t, timeline, events, state.Run, status, error, now);
        await jobs.CompleteAsync(c, t, job);
    }

    /// <summary>Ends the Portcullis run behind a workflow run, with the timeline entries that say why.</summary>
    public static async Task EndRunAsync(
        DbConnection c, DbTransaction t, Timeline timeline, Subscriptions.EventOutbox events, WorkflowRunRow run, string status, WorkflowError? error, long now)
    {
        var runStatus = WorkflowRunStatus.RunStatusOf(status);
        await timeline.AppendSystemAsync(c, t, run.WorkspaceId, run.RunId, $"workflow.{status}", new { workflowRunId = run.Id, status, error });
        await events.WorkflowRunEndedAsync(c, t, run, status, error, now);
        var ended = await c.ExecuteAsync(
            "UPDATE runs SET status = @runStatus, ended_at = @now WHERE id = @RunId AND status IN ('running', 'awaiting_approval')",
            new { runStatus, now, run.RunId }, t);
        if (ended == 1)
        {
            await timeline.AppendSystemAsync(c, t, run.WorkspaceId, run.RunId, "run.ended", new { status = runStatus });
            await events.RunAsync(c, t, run.WorkspaceId, run.RunId, Subscriptions.EventTypes.RunEnded);
        }
    }

    /// <summary>After a step's write has committed: the runner's copy of the run follows it, and a run that stopped wakes its long-polls.</summary>
    public void Settled(WorkflowRunState state, Written written, string? status, WorkflowError? error, long now)
    {
        if (written is Written.Finished or Written.Parked && status is not null)
        {
            state.Run.Status = status;
            state.Run.Error = error?.Serialize();
            state.Run.CompletedAt = written == Written.Finished ? now : null;

            // Only when the run stops running: a long-poll answers nothing sooner, and waking it at every step cost a full
            // re-read of the run per step (a cancel, the other way a run stops, wakes it itself).
            signals.Notify(state.Run.Id);
        }
    }
}
