using System.Data.Common;
using Cronos;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;

namespace Portcullis.Server.Features.Workflows;

/// <summary>
/// A schedule trigger is one durable job per workflow (kind <c>workflow_schedule</c>) due at the next occurrence of its
/// cron expression in its time zone. The firing starts the run and re-arms the job in one transaction, so each occurrence
/// starts exactly one run however many instances share the store, and one missed while every instance was down fires once
/// on restart.
/// </summary>
public sealed class WorkflowSchedules(JobStore jobs, TimeProvider time)
{
    public const string JobKind = "workflow_schedule";

    /// <summary>After a save: arms the schedule job at the next occurrence, or disarms it when the trigger is not a schedule.</summary>
    public async Task ArmAsync(DbConnection c, DbTransaction t, string workspaceId, string workflowId, WorkflowTrigger trigger)
    {
        if (NextOccurrence(trigger, time.GetUtcNow()) is { } next)
        {
            await jobs.EnqueueAsync(c, t, workspaceId, JobKind, workflowId, next.ToUnixTimeMilliseconds());
            return;
        }

        await Disarm(c, t, workflowId);
    }

    public static Task Disarm(DbConnection c, DbTransaction t, string workflowId) =>
        c.ExecuteAsync("UPDATE jobs SET status = 'done', completed_at = next_at WHERE kind = @kind AND subject_id = @workflowId AND status = 'pending'",
            new { kind = JobKind, workflowId }, t);

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null for a trigger that is not a valid schedule.</summary>
    public static DateTimeOffset? NextOccurrence(WorkflowTrigger trigger, DateTimeOffset after)
    {
        if (trigger.Type != TriggerTypes.Schedule || !CronExpression.TryParse(trigger.Cron ?? "", CronFormat.Standard, out var cron)
            || !TimeZoneInfo.TryFindSystemTimeZoneById(trigger.TimeZone ?? "UTC", out var zone))
        {
            return null;
        }

        return cron.GetNextOccurrence(after, zone);
    }
}
