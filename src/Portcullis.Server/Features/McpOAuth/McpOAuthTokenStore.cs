using System.Data.Common;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Security;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>
/// Codes, access tokens and refresh tokens of MCP OAuth grants. Like agent keys, each is stored as a public lookup and a
/// keyed hash (<see cref="SecretHasher"/>), so the database alone reveals none; a code also keeps its PKCE challenge and
/// redirect URI. <c>used_at</c> marks a code or refresh token spent, or an access token revoked.
/// </summary>
public sealed class McpOAuthTokenStore(SecretHasher hasher, TimeProvider time)
{
    public const string Code = "code";
    public const string Access = "access";
    public const string Refresh = "refresh";

    /// <summary>A token found by its secret, with its grant.</summary>
    public sealed class Row
    {
        public string Id { get; init; } = "";
        public string GrantId { get; init; } = "";
        public string Kind { get; init; } = "";
        public byte[] Salt { get; init; } = [];
        public byte[] Hash { get; init; } = [];
        public string? CodeChallenge { get; init; }
        public string? RedirectUri { get; init; }
        public long ExpiresAt { get; init; }
        public long? UsedAt { get; init; }
        public string ClientId { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public string AgentId { get; init; } = "";
        public string Resource { get; init; } = "";
        public string Scope { get; init; } = "";
        public long? GrantRevokedAt { get; init; }
    }

    public static string PrefixOf(string kind) => kind switch
    {
        Code => SecretTokens.McpCodePrefix,
        Access => SecretTokens.McpAccessPrefix,
        _ => SecretTokens.McpRefreshPrefix,
    };

    public async Task<string> IssueAsync(DbConnection c, DbTransaction t, string grantId, string kind, TimeSpan lifetime,
        string? codeChallenge = null, string? redirectUri = null)
    {
        var token = SecretTokens.New(PrefixOf(kind));
        var salt = SecretHasher.NewSalt();
        var now = time.Now();
        await c.ExecuteAsync(
            """
            INSERT INTO mcp_oauth_tokens (id, grant_id, kind, lookup, salt, hash, code_challenge, redirect_uri, expires_at, created_at)
            VALUES (@id, @grantId, @kind, @lookup, @salt, @hash, @codeChallenge, @redirectUri, @expiresAt, @now)
            """,
            new
            {
                id = Ids.New("mot", time), grantId, kind, lookup = token[..SecretTokens.TokenLookupLength], salt, hash = hasher.Hash(token, salt),
                codeChallenge, redirectUri, expiresAt = now + (long)lifetime.TotalMilliseconds, now,
            }, t);
        return token;
    }

    /// <summary>The token of <paramref name="kind"/> whose secret this is, or null (after the same hashing work either way).</summary>
    public async Task<Row?> FindAsync(DbConnection c, DbTransaction? t, string? token, string kind)
    {
        var lookup = SecretTokens.LookupOf(token, PrefixOf(kind), SecretTokens.TokenLookupLength) ?? PrefixOf(kind) + "--------";
        var row = await c.QueryFirstOrDefaultAsync<Row>(
            """
            SELECT t.id AS Id, t.grant_id AS GrantId, t.kind AS Kind, t.salt AS Salt, t.hash AS Hash, t.code_challenge AS CodeChallenge,
                   t.redirect_uri AS RedirectUri, t.expires_at AS ExpiresAt, t.used_at AS UsedAt, g.client_id AS ClientId,
                   g.workspace_id AS WorkspaceId, g.agent_id AS AgentId, g.resource AS Resource, g.scope AS Scope, g.revoked_at AS GrantRevokedAt
            FROM mcp_oauth_tokens t JOIN mcp_oauth_grants g ON g.id = t.grant_id
            WHERE t.lookup = @lookup
            """, new { lookup }, t);
        if (row is null)
        {
            hasher.BurnEquivalentWork(token ?? "");
            return null;
        }

        return hasher.Verify(token ?? "", row.Salt, row.Hash) && row.Kind == kind ? row : null;
    }

    /// <summary>Spends a code or refresh token; false when another request spent it first.</summary>
    public async Task<bool> SpendAsync(DbConnection c, DbTransaction t, string tokenId) =>
        await c.ExecuteAsync("UPDATE mcp_oauth_tokens SET used_at = @now WHERE id = @tokenId AND used_at IS NULL",
            new { now = time.Now(), tokenId }, t) == 1;

    /// <summary>Revokes a whole grant: every token issued under it stops working at once.</summary>
    public async Task<bool> RevokeGrantAsync(DbConnection c, DbTransaction t, string grantId, string revokedBy) =>
        await c.ExecuteAsync("UPDATE mcp_oauth_grants SET revoked_at = @now, revoked_by = @revokedBy WHERE id = @grantId AND revoked_at IS NULL",
            new { now = time.Now(), revokedBy, grantId }, t) == 1;
}
