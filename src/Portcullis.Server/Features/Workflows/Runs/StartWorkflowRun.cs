using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>How a run was started: <c>api</c>, <c>manual</c> (the dashboard), <c>schedule</c>, <c>webhook</c> or <c>mcp</c> (a workflow tool).</summary>
public static class StartedBy
{
    public const string Api = "api";
    public const string Manual = "manual";
    public const string Schedule = "schedule";
    public const string Webhook = "webhook";
    public const string Mcp = "mcp";
}

/// <param name="AgentId">When an agent key asks: only that agent's workflows exist for it.</param>
/// <param name="InputJson">The run's input, already checked to be a JSON object.</param>
public sealed record StartWorkflowRunCommand(
    string WorkspaceId, string WorkflowId, string? AgentId, string InputJson, string StartedBy, string? IdempotencyKey = null, string? TriggeredBy = null);

public abstract record StartWorkflowRunResult
{
    private StartWorkflowRunResult()
    {
    }

    /// <param name="Existing">True when an earlier start with the same idempotency key is answered again.</param>
    public sealed record Started(string WorkflowRunId, string RunId, string Status, bool Existing = false) : StartWorkflowRunResult;

    public sealed record NotFound(string WorkflowId) : StartWorkflowRunResult;
}

/// <summary>
/// Starting a workflow run, for every trigger: in one transaction the Portcullis run (<c>triggerType: workflow</c>), the
/// workflow run pinned to the current version, a pending row per step and the run's job, already held by this process,
/// which then runs it in the background. If the process dies first, the job's lease runs out and another instance takes it.
/// </summary>
public sealed class StartWorkflowRun(
    Database database, JobStore jobs, JobWorker worker, Timeline timeline, Subscriptions.EventOutbox events, TimeProvider time)
{
    public async Task<StartWorkflowRunResult> ExecuteAsync(StartWorkflowRunCommand command, CancellationToken ct)
    {
        var workflow = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<WorkflowRow>(
            $"SELECT {WorkflowRow.Columns} FROM {WorkflowRow.From} AND w.id = @WorkflowId AND w.workspace_id = @WorkspaceId", command), ct);
        if (workflow is null || (command.AgentId is not null && workflow.AgentId != command.AgentId))
        {
            return new StartWorkflowRunResult.NotFound(command.WorkflowId);
        }

        var (started, job) = await database.WriteAsync((c, t) => StartInAsync(c, t, command, workflow), ct);
        if (job is not null)
        {
            worker.RunHeld(job);
        }

        return started;
    }

    /// <summary>
    /// Inside the caller's transaction: the run's rows and its held job (null when an earlier start with the same key is
    /// answered instead). The caller passes the job to <see cref="JobWorker.RunHeld"/> once the transaction has committed.
    /// </summary>
    public async Task<(StartWorkflowRunResult.Started Started, ClaimedJob? Job)> StartInAsync(
        DbConnection c, DbTransaction t, StartWorkflowRunCommand command, WorkflowRow workflow)
    {
        if (command.IdempotencyKey is not null && await FindByKeyAsync(c, t, command) is { } earlier)
        {
            return (earlier, null);
        }

        return await InsertAsync(c, t, command, workflow, workflow.Parsed());
    }

    private static async Task<StartWorkflowRunResult.Started?> FindByKeyAsync(DbConnection c, DbTransaction t, StartWorkflowRunCommand command) =>
        await c.QueryFirstOrDefaultAsync<(string Id, string RunId, string Status)?>(
            "SELECT id, run_id, status FROM workflow_runs WHERE workflow_id = @WorkflowId AND idempotency_key = @IdempotencyKey", command, t) is { } row
            ? new StartWorkflowRunResult.Started(row.Id, row.RunId, row.Status, Existing: true)
            : null;

    private async Task<(StartWorkflowRunResult.Started, ClaimedJob?)> InsertAsync(
        DbConnection c, DbTransaction t, StartWorkflowRunCommand command, WorkflowRow workflow, WorkflowDefinition definition)
    {
        var now = time.Now();
        var id = Ids.New("wfr", time);
        var runId = Ids.New("run", time);
        await new OpenedRun(runId, workflow.WorkspaceId, workflow.AgentId, "workflow", id, null, command.TriggeredBy ?? command.StartedBy, now).InsertAsync(c, t, events);
        await c.ExecuteAsync(
            """
            INSERT INTO workflow_runs (id, workspace_id, workflow_id, version, run_id, agent_id, status, started_by, input, error, idempotency_key, created_at, updated_at, completed_at)
            VALUES (@id, @WorkspaceId, @WorkflowId, @Version, @runId, @AgentId, 'running', @startedBy, @input, NULL, @key, @now, @now, NULL)
            """,
            new
            {
                id,
                workflow.WorkspaceId,
                WorkflowId = workflow.Id,
                workflow.Version,
                runId,
                workflow.AgentId,
                startedBy = command.StartedBy,
                input = command.InputJson,
                key = command.IdempotencyKey,
                now
            }, t);
        await c.ExecuteAsync(
            "INSERT INTO workflow_run_steps (workflow_run_id, position, step_id, status) VALUES (@id, @position, @stepId, 'pending')",
            definition.Steps.Select((s, i) => new { id, position = i, stepId = s.Id }), t);
        await timeline.AppendSystemAsync(c, t, workflow.WorkspaceId, runId, "workflow.started", new
        {
            workflowRunId = id,
            workflowId = workflow.Id,
            workflowName = definition.Name,
            version = workflow.Version,
            startedBy = command.StartedBy,
        });
        var job = await jobs.InsertClaimedAsync(c, t, workflow.WorkspaceId, WorkflowRunner.JobKind, id);
        return (new StartWorkflowRunResult.Started(id, runId, WorkflowRunStatus.Running), job);
    }
}
