using System.Text.Json;

namespace Portcullis.Policies;

/// <summary>
/// The action request a condition is evaluated against. Field names in conditions map to these
/// properties: <c>action_type</c> → <see cref="ActionType"/>, <c>payload.&lt;path&gt;</c> → <see cref="Payload"/>, and so on.
/// A null property is a missing field: every comparison on it is false.
/// </summary>
/// <remarks>
/// The evaluator only reads the context. <see cref="Payload"/> and <see cref="Evidence"/> must stay
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

    /// <summary><c>agent.id</c>; also decides which agent-scoped policies apply.</summary>
    public string? AgentId { get; set; }

    /// <summary><c>agent.name</c>.</summary>
    public string? AgentName { get; set; }

    /// <summary><c>agent.version</c>.</summary>
    public string? AgentVersion { get; set; }

    /// <summary><c>run.trigger_type</c>.</summary>
    public string? RunTriggerType { get; set; }

    /// <summary><c>run.external_ref</c>.</summary>
    public string? RunExternalRef { get; set; }
}
