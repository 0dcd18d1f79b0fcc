using System.Text.Json.Nodes;
using Dapper;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// A workflow run as its runner works on it: the row, each step's row, the definition of the version it started with and
/// the agent it acts as. Loaded once per job; the runner keeps it current as it writes.
/// </summary>
public sealed class WorkflowRunState
{
    public required WorkflowRunRow Run { get; init; }
    public required IReadOnlyList<StepRow> Steps { get; init; }
    public required WorkflowDefinition Definition { get; init; }
    public required AgentIdentity Agent { get; init; }

    /// <summary>The pseudo key id of actions a workflow requests: no agent key is involved.</summary>
    public const string WorkflowKeyId = "workflow";

    public static async Task<WorkflowRunState?> LoadAsync(Database database, string workflowRunId, CancellationToken ct) =>
        await database.ReadAsync(async c =>
        {
            // Three reads, not five: each is a round trip on PostgreSQL.
            var run = await c.QueryFirstOrDefaultAsync<WorkflowRunRow>(
                $"""
                SELECT {WorkflowRunRow.ColumnsOf("r.")}, v.definition AS Definition, a.name AS AgentName, a.frozen_reason AS AgentFrozenReason,
                       (SELECT u.trace_parent FROM runs u WHERE u.id = r.run_id) AS RunTraceParent
                FROM workflow_runs r JOIN workflow_versions v ON v.workflow_id = r.workflow_id AND v.version = r.version JOIN agents a ON a.id = r.agent_id
                WHERE r.id = @workflowRunId
                """, new { workflowRunId });
            if (run is null)
            {
                return null;
            }

            var steps = (await c.QueryAsync<StepRow>(
                $"SELECT {StepRow.Columns} FROM workflow_run_steps WHERE workflow_run_id = @workflowRunId ORDER BY position", new { workflowRunId })).AsList();
            var workspace = await c.QueryFirstAsync<WorkspaceRow>($"SELECT {WorkspaceRow.Columns} FROM workspaces WHERE id = @WorkspaceId", new { run.WorkspaceId });
            return new WorkflowRunState
            {
                Run = run,
                Steps = steps,
                Definition = WorkflowDefinition.Deserialize(run.Definition!),
                Agent = new AgentIdentity(WorkflowKeyId, run.AgentId, run.AgentName!, run.WorkspaceId, workspace, run.AgentFrozenReason),
            };
        }, ct);

    /// <summary>The first step still to be decided, or null when every step has ended.</summary>
    public int? NextStep()
    {
        for (var i = 0; i < Steps.Count; i++)
        {
            if (StepStatus.IsOpen(Steps[i].Status))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>
    /// How the run stands once a step's outcome is applied to its row: ended by the step, completed when no step is left
    /// open (so the last step and the run's completion are one write), else still running (null).
    /// </summary>
    public string? RunStatusAfter(StepOutcome outcome) => outcome.RunStatus ?? (NextStep() is null ? WorkflowRunStatus.Completed : null);

    /// <summary>
    /// The variables templates and <c>when</c> read: <c>trigger.input</c>, <c>steps.&lt;id&gt;.{status,output}</c> of the steps
    /// before <paramref name="position"/>, <c>run.id</c>, <c>agent.name</c>, <c>workflow.{id,name}</c>.
    /// </summary>
    public JsonObject Variables(int position)
    {
        var steps = new JsonObject();
        for (var i = 0; i < position; i++)
        {
            steps[Steps[i].StepId] = new JsonObject
            {
                ["status"] = Steps[i].Status,
                ["output"] = Steps[i].Output is { } output ? JsonNode.Parse(output) : null,
            };
        }

        return new JsonObject
        {
            ["trigger"] = new JsonObject { ["input"] = JsonNode.Parse(Run.Input) },
            ["steps"] = steps,
            ["run"] = new JsonObject { ["id"] = Run.RunId },
            ["agent"] = new JsonObject { ["name"] = Agent.AgentName },
            ["workflow"] = new JsonObject { ["id"] = Run.WorkflowId, ["name"] = Definition.Name },
        };
    }
}
