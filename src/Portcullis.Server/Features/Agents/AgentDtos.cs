using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Agents;

/// <param name="Frozen">The agent's own kill switch, or null (a frozen workspace shows on the workspace).</param>
public sealed record AgentDto(string Id, string Name, string? Description, string? OwnerUserId, string CreatedAt, FreezeDto? Frozen);

/// <summary>A key as listed: never the key itself.</summary>
public sealed record AgentKeyDto(string Id, string Name, string Prefix, string CreatedAt, string? LastUsedAt, string? RevokedAt, bool Revoked);

/// <summary>The answer to creating a key: the only time the key is ever shown.</summary>
public sealed record CreatedAgentKeyDto(string Id, string Name, string Prefix, string Key, string CreatedAt);

public sealed class AgentRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string? OwnerUserId { get; init; }
    public long CreatedAt { get; init; }
    public long? FrozenAt { get; init; }
    public string? FrozenReason { get; init; }
    public string? FrozenBy { get; init; }

    public const string Columns = "id AS Id, name AS Name, description AS Description, owner_user_id AS OwnerUserId, created_at AS CreatedAt, " +
        "frozen_at AS FrozenAt, frozen_reason AS FrozenReason, frozen_by AS FrozenBy";

    public AgentDto ToDto() => new(Id, Name, Description, OwnerUserId, Times.ToIso(CreatedAt), FreezeDto.Of(FrozenAt, FrozenReason, FrozenBy));
}

public sealed class AgentKeyRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Lookup { get; init; } = "";
    public long CreatedAt { get; init; }
    public long? LastUsedAt { get; init; }
    public long? RevokedAt { get; init; }

    public const string Columns = "id AS Id, name AS Name, lookup AS Lookup, created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt";

    public AgentKeyDto ToDto() => new(Id, Name, Lookup, Times.ToIso(CreatedAt), Times.ToIso(LastUsedAt), Times.ToIso(RevokedAt), RevokedAt is not null);
}
