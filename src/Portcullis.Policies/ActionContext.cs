using System.Text.Json;

namespace Portcullis.Policies;

/// <summary>
/// The action request a condition is evaluated against. Field names in conditions map to these
/// properties: <c>action_type</c> → <see cref="ActionType"/>, <c>payload.&lt;path&gt;</c> → <see cref="Payload"/>, and so on.
/// A null property is a missing field: every comparison on it is false.
/// </summary>
/// <remarks>
/// The evaluator only reads this object. <see cref="Payload"/>, <see cref="Evidence"/> and <see cref="Context"/> must stay
/// readable (their <see cref="JsonDocument"/> not disposed) for the duration of an evaluation.
/// </remarks>
public sealed class ActionContext
{
    /// <summary><c>action_type</c>, e.g. <c>refund.create</c>.</summary>
    public required string ActionType { get; init; }

    /// <summary><c>provider</c>, e.g. <c>stripe</c>.</summary>
    public string? Provider { get; set; }

    /// <summary><c>resource_type</c>, e.g. <c>charge</c>.</summary>
    public string? ResourceType { get; set; }

    /// <summary><c>resource_id</c>, e.g. <c>ch_123</c>.</summary>
    public string? ResourceId { get; set; }

    /// <summary>The request payload, reached by <c>payload.&lt;path&gt;</c>.</summary>
    public JsonElement? Payload { get; set; }

    /// <summary>The request evidence, reached by <c>evidence.&lt;path&gt;</c>.</summary>
    public JsonElement? Evidence { get; set; }

    /// <summary>
    /// <c>source</c>: the transport the request came through — <c>rest</c> (the agent REST API),
    /// <c>dashboard</c>, <c>workflow</c> (a workflow step) or <c>mcp</c> (an MCP tool call).
    /// </summary>
    public string? Source { get; set; }

    /// <summary>Caller-supplied context, reached by <c>context.&lt;path&gt;</c> (like Cedar's <c>context</c>).</summary>
    public JsonElement? Context { get; set; }

    /// <summary><c>agent.id</c>; also decides which agent-scoped policies apply.</summary>
    public string? AgentId { get; set; }

    /// <summary><c>agent.name</c>.</summary>
    public string? AgentName { get; set; }

    /// <summary><c>agent.version</c>.</summary>
    public string? AgentVersion { get; set; }

    /// <summary>The run the request belongs to: what <c>PER run</c> velocity terms count within (not a condition field).</summary>
    public string? RunId { get; set; }

    /// <summary><c>run.trigger_type</c>.</summary>
    public string? RunTriggerType { get; set; }

    /// <summary><c>run.external_ref</c>.</summary>
    public string? RunExternalRef { get; set; }

    /// <summary><c>workflow.id</c>: the workflow whose step requested the action; missing outside workflows.</summary>
    public string? WorkflowId { get; set; }

    /// <summary><c>workflow.name</c>.</summary>
    public string? WorkflowName { get; set; }

    /// <summary><c>workflow.step</c>: the step's id within its workflow.</summary>
    public string? WorkflowStep { get; set; }
}
