using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>Reading workflow runs, scoped to the workspace (and, for an agent key, to the agent).</summary>
public sealed class WorkflowRunQueries(Database database, WorkflowRunSignals signals, TimeProvider time)
{
    public const int MaxWaitSeconds = 60;

    public async Task<WorkflowRunDto?> GetAsync(string workspaceId, string workflowRunId, string? agentId, CancellationToken ct) =>
        await database.ReadAsync(async c =>
        {
            var run = await c.QueryFirstOrDefaultAsync<WorkflowRunRow>(
                $"{WorkflowRunRow.WithDefinition} WHERE r.id = @workflowRunId AND r.workspace_id = @workspaceId", new { workflowRunId, workspaceId });
            if (run is null || (agentId is not null && run.AgentId != agentId))
            {
                return null;
            }

            var steps = (await c.QueryAsync<StepRow>(
                $"SELECT {StepRow.Columns} FROM workflow_run_steps WHERE workflow_run_id = @workflowRunId ORDER BY position", new { workflowRunId })).AsList();
            var definition = WorkflowDefinition.Deserialize(run.Definition!);
            return ToDto(run, definition.Name, steps.Select(s => StepRunDto.From(definition.Steps[(int)s.Position], s)).ToList());
        }, ct);

    /// <summary>
    /// Long-poll: the run once it is no longer <c>running</c>, or as it stands when <paramref name="wait"/> is up. Sleeps
    /// between reads until the change feed says the run stopped (on any instance): an idle long-poll reads nothing.
    /// </summary>
    public async Task<WorkflowRunDto?> WaitAsync(string workspaceId, string workflowRunId, string? agentId, TimeSpan wait, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            // Watch before reading: a run that stops in between still wakes this wait.
            using var watch = signals.Watch(workflowRunId);
            var run = await GetAsync(workspaceId, workflowRunId, agentId, ct);
            var left = deadline - time.GetUtcNow();
            if (run is null || run.Status != WorkflowRunStatus.Running || left <= TimeSpan.Zero)
            {
                return run;
            }

            await watch.WaitAsync(left, time, ct);
        }
    }

    public async Task<IReadOnlyList<WorkflowRunDto>> ListAsync(string workspaceId, string workflowId, string? agentId, int limit, string? after,
        CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<WorkflowRunRow>(
            $"""
            SELECT {WorkflowRunRow.ColumnsOf("r.")}, v.definition AS Definition
            FROM workflow_runs r JOIN workflow_versions v ON v.workflow_id = r.workflow_id AND v.version = r.version
            LEFT JOIN workflow_runs a ON a.id = @after AND a.workflow_id = r.workflow_id
            WHERE r.workspace_id = @workspaceId AND r.workflow_id = @workflowId AND (@agentId IS NULL OR r.agent_id = @agentId)
              AND (@after IS NULL OR r.created_at < a.created_at OR (r.created_at = a.created_at AND r.id < a.id))
            ORDER BY r.created_at DESC, r.id DESC LIMIT @limit
            """, new { workspaceId, workflowId, agentId, limit, after }), ct);
        return rows.Select(r => ToDto(r, WorkflowDefinition.Deserialize(r.Definition!).Name, null)).ToList();
    }

    private static WorkflowRunDto ToDto(WorkflowRunRow run, string workflowName, IReadOnlyList<StepRunDto>? steps) =>
        new(run.Id, run.WorkflowId, workflowName, (int)run.Version, run.RunId, run.Status, run.Trigger, StepRunDto.Node(run.Input),
            WorkflowError.Parse(run.Error), Times.ToIso(run.CreatedAt), StepRunDto.Iso(run.CompletedAt), steps);
}
