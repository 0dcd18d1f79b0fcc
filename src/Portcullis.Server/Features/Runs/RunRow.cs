using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Runs;

/// <summary>A row of <c>runs</c>.</summary>
public sealed class RunRow
{
    public string Id { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string AgentId { get; init; } = "";
    public string Status { get; init; } = "";
    public string TriggerType { get; init; } = "";
    public string? ExternalRef { get; init; }
    public string? AgentVersion { get; init; }
    public string? TriggeredBy { get; init; }
    public long StartedAt { get; init; }
    public long? EndedAt { get; init; }

    public const string Columns =
        "id AS Id, workspace_id AS WorkspaceId, agent_id AS AgentId, status AS Status, trigger_type AS TriggerType, " +
        "external_ref AS ExternalRef, agent_version AS AgentVersion, triggered_by AS TriggeredBy, started_at AS StartedAt, ended_at AS EndedAt";

    public RunDto ToDto() => new(Id, Status, AgentId, TriggerType, ExternalRef, AgentVersion, TriggeredBy,
        Times.ToIso(StartedAt), Times.ToIso(EndedAt));
}

/// <summary>A run on the wire.</summary>
public sealed record RunDto(
    string RunId, string Status, string AgentId, string TriggerType, string? ExternalRef, string? AgentVersion,
    string? TriggeredBy, string StartedAt, string? EndedAt);
