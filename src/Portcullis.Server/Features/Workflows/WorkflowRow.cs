using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Workflows;

/// <summary>A workflow with its current version's definition.</summary>
public sealed class WorkflowRow
{
    public string Id { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string AgentId { get; init; } = "";
    public long Version { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public string Definition { get; init; } = "";

    public const string Columns =
        "w.id AS Id, w.workspace_id AS WorkspaceId, w.agent_id AS AgentId, w.version AS Version, w.created_at AS CreatedAt, " +
        "w.updated_at AS UpdatedAt, v.definition AS Definition";

    /// <summary>From <c>workflows w</c> joined to its current version <c>v</c>; deleted workflows are never found.</summary>
    public const string From = "workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.version WHERE w.deleted_at IS NULL";

    public WorkflowDefinition Parsed() => WorkflowDefinition.Deserialize(Definition);

    public WorkflowDto ToDto(WebhookSecrets? shown = null)
    {
        var d = Parsed();
        return new WorkflowDto(Id, AgentId, d.Name, d.Description, (int)Version, TriggerDto.From(d.Trigger, shown),
            d.Steps.Select(StepDto.From).ToList(), Times.ToIso(CreatedAt), Times.ToIso(UpdatedAt));
    }
}

public sealed record WorkflowDto(
    string Id, string AgentId, string Name, string? Description, int Version, TriggerDto Trigger, IReadOnlyList<StepDto> Steps,
    string CreatedAt, string UpdatedAt);

/// <summary>
/// The trigger as answered; a webhook's secret <c>url</c> and <c>signingSecret</c> only in the answer that created them.
/// </summary>
public sealed record TriggerDto(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cron,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TimeZone,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Signed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SigningSecret)
{
    public static TriggerDto From(WorkflowTrigger t, WebhookSecrets? shown) => new(t.Type, t.Cron, t.TimeZone, t.Signed, shown?.Url, shown?.SigningSecret);
}

/// <summary>What a save shows once: the webhook URL it made, and the signing secret it made.</summary>
public sealed record WebhookSecrets(string? Url, string? SigningSecret);

public sealed record StepDto(string Id, string Name, string ActionType, string? Provider, string? CredentialId, JsonObject Input, string? When)
{
    public static StepDto From(WorkflowStep s) => new(s.Id, s.Name, s.ActionType, s.Provider, s.CredentialId, s.Input, s.When);
}

public sealed record WorkflowVersionDto(int Version, string CreatedAt, string? CreatedBy, WorkflowDefinition Definition);
