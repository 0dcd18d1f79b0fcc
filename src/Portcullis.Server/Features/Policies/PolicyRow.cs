using System.Text.Json;
using Portcullis.Policies;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Policies;

/// <summary>A row of <c>policies</c> (or of <c>policy_versions</c>, which has the same shape plus change details).</summary>
public sealed class PolicyRow
{
    public string Id { get; init; } = "";
    public long Version { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string Condition { get; init; } = "";
    public string Decision { get; init; } = "";
    public string? Reason { get; init; }
    public long Priority { get; init; }
    public bool Enabled { get; init; }
    public string AgentIds { get; init; } = "[]";
    public long ApprovalsRequired { get; init; }
    public bool AllowEdit { get; init; }
    public string? ApproverGroup { get; init; }
    public long? EscalateAfterSeconds { get; init; }
    public string? EscalateTo { get; init; }

    /// <summary>The Slack channel this approval policy's requests are posted to (null: the workspace's default).</summary>
    public string? SlackChannel { get; init; }
    public string Mode { get; init; } = PolicyModes.Enforce;
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }

    public bool IsShadow => Mode == PolicyModes.Shadow;

    public const string Columns =
        "id AS Id, version AS Version, name AS Name, description AS Description, condition AS Condition, decision AS Decision, " +
        "reason AS Reason, priority AS Priority, enabled AS Enabled, agent_ids AS AgentIds, approvals_required AS ApprovalsRequired, " +
        "allow_edit AS AllowEdit, approver_group AS ApproverGroup, escalate_after_seconds AS EscalateAfterSeconds, escalate_to AS EscalateTo, " +
        "slack_channel AS SlackChannel, mode AS Mode, created_at AS CreatedAt, updated_at AS UpdatedAt";

    /// <summary>The approval routing the policy names; null when it names none.</summary>
    public ApprovalRouting? Routing => ApproverGroup is null && EscalateTo is null && EscalateAfterSeconds is null
        ? null
        : new ApprovalRouting(ApproverGroup, (int?)EscalateAfterSeconds, EscalateTo);

    public IReadOnlyList<string> AgentIdList => JsonSerializer.Deserialize<string[]>(AgentIds) ?? [];

    public PolicyDefinition ToDefinition()
    {
        PolicyDecisions.TryParse(Decision, out var decision);
        return new PolicyDefinition(Id, Name, Condition, decision, Reason, (int)Priority, Enabled, AgentIdList, (int)ApprovalsRequired, AllowEdit, Routing);
    }

    public PolicyDto ToDto() => new(Id, Name, Description, Condition, Decision, Reason, Priority, Enabled, AgentIdList,
        ApprovalsRequired, Version, Times.ToIso(CreatedAt), Times.ToIso(UpdatedAt), Mode, AllowEdit, ApproverGroup, EscalateAfterSeconds, EscalateTo,
        SlackChannel);
}

public sealed record PolicyDto(
    string Id, string Name, string? Description, string Condition, string Decision, string? Reason, long Priority, bool Enabled,
    IReadOnlyList<string> AgentIds, long ApprovalsRequired, long Version, string CreatedAt, string UpdatedAt, string Mode, bool AllowEdit,
    string? ApproverGroup, long? EscalateAfter, string? EscalateTo, string? SlackChannel);

public sealed record PolicyVersionDto(
    long Version, string Name, string? Description, string Condition, string Decision, string? Reason, long Priority, bool Enabled,
    IReadOnlyList<string> AgentIds, long ApprovalsRequired, string Change, string ChangedBy, string ChangedAt, string Mode, bool AllowEdit,
    string? ApproverGroup, long? EscalateAfter, string? EscalateTo, string? SlackChannel);

public sealed record PolicyWithHistoryDto(PolicyDto Policy, IReadOnlyList<PolicyVersionDto> Versions);

public sealed class PolicyVersionRow
{
    public long Version { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string Condition { get; init; } = "";
    public string Decision { get; init; } = "";
    public string? Reason { get; init; }
    public long Priority { get; init; }
    public bool Enabled { get; init; }
    public string AgentIds { get; init; } = "[]";
    public long ApprovalsRequired { get; init; }
    public bool AllowEdit { get; init; }
    public string? ApproverGroup { get; init; }
    public long? EscalateAfterSeconds { get; init; }
    public string? EscalateTo { get; init; }
    public string? SlackChannel { get; init; }
    public string Mode { get; init; } = PolicyModes.Enforce;
    public string Change { get; init; } = "";
    public string ChangedBy { get; init; } = "";
    public long ChangedAt { get; init; }

    public const string Columns =
        "version AS Version, name AS Name, description AS Description, condition AS Condition, decision AS Decision, reason AS Reason, " +
        "priority AS Priority, enabled AS Enabled, agent_ids AS AgentIds, approvals_required AS ApprovalsRequired, mode AS Mode, change AS Change, " +
        "allow_edit AS AllowEdit, approver_group AS ApproverGroup, escalate_after_seconds AS EscalateAfterSeconds, escalate_to AS EscalateTo, " +
        "slack_channel AS SlackChannel, changed_by AS ChangedBy, changed_at AS ChangedAt";

    public PolicyVersionDto ToDto() => new(Version, Name, Description, Condition, Decision, Reason, Priority, Enabled,
        JsonSerializer.Deserialize<string[]>(AgentIds) ?? [], ApprovalsRequired, Change, ChangedBy, Times.ToIso(ChangedAt), Mode, AllowEdit,
        ApproverGroup, EscalateAfterSeconds, EscalateTo, SlackChannel);
}
