using Dapper;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Security;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>
/// Resolves an OAuth access token (<c>pma_…</c>) presented at <c>/mcp</c> to the agent its grant acts as. A token is valid
/// only unexpired, unrevoked, under an unrevoked grant, and for this resource (RFC 8707 audience), so a token minted for
/// another Portcullis URL is refused. The identity's key id is the grant's id: rate limits and the audit see the grant.
/// </summary>
public sealed class McpTokenAuthenticator(Database database, SecretHasher hasher, TimeProvider time) : IAccessTokenAuthenticator
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);
    private const int RowColumns = 12;
    private static readonly string LookupSql = $"""
        SELECT g.id AS KeyId, g.agent_id AS AgentId, a.name AS AgentName, g.workspace_id AS WorkspaceId, t.salt AS Salt, t.hash AS Hash,
               t.expires_at AS ExpiresAt, t.used_at AS RevokedAt, g.revoked_at AS GrantRevokedAt, g.resource AS Resource, g.last_used_at AS LastUsedAt,
               a.frozen_reason AS FrozenReason,
               w.{WorkspaceRow.Columns.Replace(", ", ", w.", StringComparison.Ordinal)}
        FROM mcp_oauth_tokens t JOIN mcp_oauth_grants g ON g.id = t.grant_id JOIN agents a ON a.id = g.agent_id JOIN workspaces w ON w.id = g.workspace_id
        WHERE t.lookup = @lookup AND t.kind = 'access'
        """;

    public bool Recognises(string? token) => token?.StartsWith(SecretTokens.McpAccessPrefix, StringComparison.Ordinal) == true;

    public async Task<AgentIdentity?> AuthenticateAsync(string? token, string resource, CancellationToken ct)
    {
        var lookup = SecretTokens.LookupOf(token, SecretTokens.McpAccessPrefix, SecretTokens.TokenLookupLength) ?? "pma_--------";
        var (row, workspace) = await database.ReadAsync(c => PreparedSql.QueryFirstAsync(c, null, LookupSql,
            r => (r.GetRowParser<Row>(length: RowColumns)(r), r.GetRowParser<WorkspaceRow>(startIndex: RowColumns)(r)),
            ("lookup", lookup)), ct);
        if (row is null)
        {
            hasher.BurnEquivalentWork(token ?? "");
            return null;
        }

        var now = time.Now();
        if (!hasher.Verify(token ?? "", row.Salt, row.Hash) || row.RevokedAt is not null || row.GrantRevokedAt is not null
            || row.ExpiresAt <= now || !Resources.Same(row.Resource, resource))
        {
            return null;
        }

        if (row.LastUsedAt is not { } last || now - last >= LastUsedResolution.TotalMilliseconds)
        {
            await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE mcp_oauth_grants SET last_used_at = @now WHERE id = @id", new { now, id = row.KeyId }, t), ct);
        }

        return new AgentIdentity(row.KeyId, row.AgentId, row.AgentName, row.WorkspaceId, workspace, row.FrozenReason);
    }

    private sealed class Row
    {
        public string KeyId { get; init; } = "";
        public string AgentId { get; init; } = "";
        public string AgentName { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public byte[] Salt { get; init; } = [];
        public byte[] Hash { get; init; } = [];
        public long ExpiresAt { get; init; }
        public long? RevokedAt { get; init; }
        public long? GrantRevokedAt { get; init; }
        public string Resource { get; init; } = "";
        public long? LastUsedAt { get; init; }
        public string? FrozenReason { get; init; }
    }
}
