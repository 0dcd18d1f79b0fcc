using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Security;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>
/// Session tokens (from login, short-lived) and personal access tokens (long-lived, named) for the
/// management API. Both are stored only as salted, peppered hashes.
/// </summary>
public sealed class MemberTokens(Database database, SecretHasher hasher, TimeProvider time)
{
    public const string SessionKind = "session";
    public const string AccessTokenKind = "pat";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public sealed record Issued(string Id, string Token, long? ExpiresAt);

    /// <summary>Stores a token (given, or generated) for a member; returns it once.</summary>
    public async Task<Issued> IssueAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string userId,
        string kind, string name, string? givenToken = null, TimeSpan? lifetime = null)
    {
        var token = givenToken ?? (kind == SessionKind ? SecretTokens.NewSessionToken() : SecretTokens.NewAccessToken());
        var prefix = kind == SessionKind ? SecretTokens.SessionPrefix : SecretTokens.AccessTokenPrefix;
        var lookup = SecretTokens.LookupOf(token, prefix, SecretTokens.TokenLookupLength)
            ?? throw new ArgumentException($"a token must start with `{prefix}` and be at least 24 characters", nameof(givenToken));
        var salt = SecretHasher.NewSalt();
        var now = time.Now();
        long? expiresAt = lifetime is { } l ? now + (long)l.TotalMilliseconds : null;
        var id = Ids.New("tok", time);
        await connection.ExecuteAsync(
            """
            INSERT INTO user_tokens (id, workspace_id, user_id, kind, name, lookup, salt, hash, created_at, expires_at)
            VALUES (@id, @workspaceId, @userId, @kind, @name, @lookup, @salt, @hash, @now, @expiresAt)
            """,
            new { id, workspaceId, userId, kind, name, lookup, salt, hash = hasher.Hash(token, salt), now, expiresAt }, transaction);
        return new Issued(id, token, expiresAt);
    }

    /// <summary>The member a bearer token belongs to, or null for any invalid token (same work either way).</summary>
    public async Task<Member?> AuthenticateAsync(string? token, CancellationToken ct)
    {
        var prefix = token?.StartsWith(SecretTokens.SessionPrefix, StringComparison.Ordinal) == true
            ? SecretTokens.SessionPrefix
            : SecretTokens.AccessTokenPrefix;
        var lookup = SecretTokens.LookupOf(token, prefix, SecretTokens.TokenLookupLength) ?? "pat_--------";
        TokenRow? row;
        await using (var connection = await database.OpenAsync(ct))
        {
            row = await connection.QueryFirstOrDefaultAsync<TokenRow>(
                """
                SELECT t.id AS Id, t.user_id AS UserId, t.workspace_id AS WorkspaceId, t.salt AS Salt, t.hash AS Hash,
                       t.expires_at AS ExpiresAt, t.revoked_at AS RevokedAt, m.role AS Role, u.email AS Email
                FROM user_tokens t
                JOIN members m ON m.workspace_id = t.workspace_id AND m.user_id = t.user_id
                JOIN users u ON u.id = t.user_id
                WHERE t.lookup = @lookup
                """, new { lookup });
        }

        if (row is null)
        {
            hasher.BurnEquivalentWork(token ?? "");
            return null;
        }

        var valid = hasher.Verify(token ?? "", row.Salt, row.Hash);
        if (!valid || row.RevokedAt is not null || (row.ExpiresAt is { } exp && exp <= time.Now()) || !Roles.TryParse(row.Role, out var role))
        {
            return null;
        }

        return new Member(row.UserId, row.WorkspaceId, role, row.Id, row.Email);
    }

    public Task<int> RevokeAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string userId, string tokenId) =>
        connection.ExecuteAsync(
            "UPDATE user_tokens SET revoked_at = @now WHERE id = @tokenId AND workspace_id = @workspaceId AND user_id = @userId AND revoked_at IS NULL",
            new { now = time.Now(), tokenId, workspaceId, userId }, transaction);

    private sealed class TokenRow
    {
        public string Id { get; init; } = "";
        public string UserId { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public byte[] Salt { get; init; } = [];
        public byte[] Hash { get; init; } = [];
        public long? ExpiresAt { get; init; }
        public long? RevokedAt { get; init; }
        public string Role { get; init; } = "";
        public string Email { get; init; } = "";
    }
}
