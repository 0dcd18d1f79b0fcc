using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// Fires a schedule trigger (job kind <c>workflow_schedule</c>): starts the run and re-arms the job at the next occurrence in
/// one transaction guarded by the job's lease, so an occurrence starts exactly one run, on whichever instance claimed it.
/// </summary>
public sealed class ScheduleFirer(Database database, StartWorkflowRun start, JobStore jobs, JobWorker worker, TimeProvider time) : IJobHandler
{
    public string Kind => WorkflowSchedules.JobKind;

    public async Task RunAsync(ClaimedJob job, CancellationToken ct)
    {
        var workflow = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<WorkflowRow>(
            $"SELECT {WorkflowRow.Columns} FROM {WorkflowRow.From} AND w.id = @SubjectId AND w.workspace_id = @WorkspaceId", job), ct);
        var next = workflow is null ? null : WorkflowSchedules.NextOccurrence(workflow.Parsed().Trigger, time.GetUtcNow());
        var runJob = await database.WriteAsync(async (c, t) =>
        {
            if (workflow is null || next is null)
            {
                // Deleted, or no longer a schedule: nothing to fire, and nothing to re-arm.
                await jobs.CompleteAsync(c, t, job);
                return null;
            }

            if (!await jobs.RescheduleAsync(c, t, job, next.Value.ToUnixTimeMilliseconds()))
            {
                return null;
            }

            var command = new StartWorkflowRunCommand(job.WorkspaceId, workflow.Id, null, "{}", StartedBy.Schedule,
                $"schedule:{job.Id}:{time.Now()}", "schedule");
            return (await start.StartInAsync(c, t, command, workflow)).Job;
        }, ct);
        if (runJob is not null)
        {
            worker.RunHeld(runJob);
        }
    }
}
