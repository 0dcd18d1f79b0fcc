using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>A row of <c>workflow_runs</c>.</summary>
public sealed class WorkflowRunRow
{
    public string Id { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string WorkflowId { get; init; } = "";
    public long Version { get; init; }
    public string RunId { get; init; } = "";
    public string AgentId { get; init; } = "";
    public string Status { get; set; } = "";
    public string Trigger { get; init; } = "";
    public string Input { get; init; } = "{}";
    public string? Error { get; set; }
    public long CreatedAt { get; init; }
    public long? CompletedAt { get; set; }

    /// <summary>The definition of the run's version, when a query joined it.</summary>
    public string? Definition { get; init; }

    /// <summary>The agent's name, when a query joined it.</summary>
    public string? AgentName { get; init; }

    /// <summary>The trace that opened the run, when a query read it (see <see cref="Infrastructure.Telemetry.RunTrace"/>).</summary>
    public string? RunTraceParent { get; init; }

    /// <summary>The agent's freeze reason, when a query joined the agent.</summary>
    public string? AgentFrozenReason { get; init; }

    /// <summary>The run with its version's definition (<see cref="Definition"/>), as <c>r</c>, <c>v</c>.</summary>
    public static readonly string WithDefinition =
        $"SELECT {ColumnsOf("r.")}, v.definition AS Definition FROM workflow_runs r JOIN workflow_versions v ON v.workflow_id = r.workflow_id AND v.version = r.version";

    public static readonly string Columns = ColumnsOf("");

    public static string ColumnsOf(string alias) =>
        $"{alias}id AS Id, {alias}workspace_id AS WorkspaceId, {alias}workflow_id AS WorkflowId, {alias}version AS Version, {alias}run_id AS RunId, " +
        $"{alias}agent_id AS AgentId, {alias}status AS Status, {alias}started_by AS Trigger, {alias}input AS Input, {alias}error AS Error, " +
        $"{alias}created_at AS CreatedAt, {alias}completed_at AS CompletedAt";
}

/// <summary>A row of <c>workflow_run_steps</c>: what one step came to.</summary>
public sealed class StepRow
{
    public long Position { get; init; }
    public string StepId { get; init; } = "";
    public string Status { get; set; } = StepStatus.Pending;
    public string? ActionRequestId { get; set; }
    public string? Decision { get; set; }
    public string? ApprovalRequestId { get; set; }
    public string? Input { get; set; }
    public string? Output { get; set; }
    public string? Error { get; set; }
    public long? StartedAt { get; set; }
    public long? CompletedAt { get; set; }

    public const string Columns =
        "position AS Position, step_id AS StepId, status AS Status, action_request_id AS ActionRequestId, decision AS Decision, " +
        "approval_request_id AS ApprovalRequestId, input AS Input, output AS Output, error AS Error, started_at AS StartedAt, completed_at AS CompletedAt";
}

/// <summary><c>error</c> of a step or a run: a stable code, a message, and the step it came from.</summary>
public sealed record WorkflowError(string Code, string Message, string? StepId = null)
{
    public string Serialize() => JsonSerializer.Serialize(this, WorkflowDefinition.Json);

    public static WorkflowError? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<WorkflowError>(json, WorkflowDefinition.Json);
}

public sealed record WorkflowRunDto(
    string Id, string WorkflowId, string WorkflowName, int Version, string RunId, string Status, string Trigger, JsonNode? Input,
    WorkflowError? Error, string CreatedAt, string? CompletedAt, IReadOnlyList<StepRunDto>? Steps);

public sealed record StepRunDto(
    string Id, string Name, string ActionType, string Status, string? ActionRequestId, string? Decision, string? ApprovalRequestId,
    JsonNode? Input, JsonNode? Output, WorkflowError? Error, string? StartedAt, string? CompletedAt)
{
    public static StepRunDto From(WorkflowStep step, StepRow row) => new(step.Id, step.Name, step.ActionType, row.Status, row.ActionRequestId,
        row.Decision, row.ApprovalRequestId, Node(row.Input), Node(row.Output), WorkflowError.Parse(row.Error), Iso(row.StartedAt), Iso(row.CompletedAt));

    internal static JsonNode? Node(string? json) => json is null ? null : JsonNode.Parse(json);

    internal static string? Iso(long? ms) => ms is { } v ? Times.ToIso(v) : null;
}
