using Dapper;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Security;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>The agent an API key belongs to.</summary>
/// <param name="AgentFrozenReason">The agent's own freeze (kill switch), read with the key: null unless it is frozen.</param>
public sealed record AgentIdentity(string KeyId, string AgentId, string AgentName, string WorkspaceId, WorkspaceRow Workspace, string? AgentFrozenReason)
{
    /// <summary>Why every action of this agent is blocked now (its own freeze, else its workspace's), or null when it may act.</summary>
    public string? FreezeReason => AgentFrozenReason ?? Workspace.FrozenReason;
}

/// <summary>
/// Resolves an agent API key. Missing, malformed, unknown and revoked keys all end in null after the
/// same work (one indexed lookup, one keyed hash, one constant-time compare), so neither the answer
/// nor its timing tells them apart.
/// </summary>
public sealed class AgentAuthenticator(Database database, SecretHasher hasher, TimeProvider time)
{
    // A well-formed lookup id that can never exist (issued lookups are base62 only).
    private const string AbsentLookup = "pk_live_--------";
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    // One round trip: the key, its agent and the workspace settings every agent call needs.
    private const int KeyRowColumns = 9;
    private static readonly string LookupSql = $"""
        SELECT k.id AS KeyId, k.agent_id AS AgentId, a.name AS AgentName, k.workspace_id AS WorkspaceId,
               k.salt AS Salt, k.hash AS Hash, k.revoked_at AS RevokedAt, k.last_used_at AS LastUsedAt,
               a.frozen_reason AS FrozenReason,
               w.{WorkspaceRow.Columns.Replace(", ", ", w.", StringComparison.Ordinal)}
        FROM agent_keys k JOIN agents a ON a.id = k.agent_id JOIN workspaces w ON w.id = k.workspace_id
        WHERE k.lookup = @lookup
        """;

    public async Task<AgentIdentity?> AuthenticateAsync(string? presentedKey, CancellationToken ct)
    {
        var lookup = SecretTokens.LookupOf(presentedKey, "pk_", SecretTokens.AgentKeyLookupLength) ?? AbsentLookup;
        var secret = presentedKey ?? "";
        var (row, workspace) = await database.ReadAsync(c => PreparedSql.QueryFirstAsync(c, null, LookupSql,
            r => (r.GetRowParser<KeyRow>(length: KeyRowColumns)(r), r.GetRowParser<WorkspaceRow>(startIndex: KeyRowColumns)(r)),
            ("lookup", lookup)), ct);

        if (row is null)
        {
            hasher.BurnEquivalentWork(secret);
            return null;
        }

        var valid = hasher.Verify(secret, row.Salt, row.Hash);
        if (!valid || row.RevokedAt is not null)
        {
            return null;
        }

        await TouchAsync(row, ct);
        return new AgentIdentity(row.KeyId, row.AgentId, row.AgentName, row.WorkspaceId, workspace, row.FrozenReason);
    }

    /// <summary>Records last use, at most once a minute per key so the hot path rarely writes.</summary>
    private async Task TouchAsync(KeyRow row, CancellationToken ct)
    {
        var now = time.Now();
        if (row.LastUsedAt is { } last && now - last < LastUsedResolution.TotalMilliseconds)
        {
            return;
        }

        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE agent_keys SET last_used_at = @now WHERE id = @id", new { now, id = row.KeyId }, t), ct);
    }

    private sealed class KeyRow
    {
        public string KeyId { get; init; } = "";
        public string AgentId { get; init; } = "";
        public string AgentName { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public byte[] Salt { get; init; } = [];
        public byte[] Hash { get; init; } = [];
        public long? RevokedAt { get; init; }
        public long? LastUsedAt { get; init; }
        public string? FrozenReason { get; init; }
    }
}
