using System.Data.Common;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Security;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces.Invitations;

/// <summary>
/// Invitation rows and their one-time tokens. SECURITY: a token is shown once; only its lookup prefix and a salted,
/// peppered hash are stored, so a database leak does not hand out links.
/// </summary>
public sealed class InvitationStore(Database database, SecretHasher hasher, TimeProvider time)
{
    public const string TokenPrefix = "piv_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public sealed record Issued(InvitationRow Row, string Token);

    public async Task<Issued> CreateAsync(DbConnection c, DbTransaction t, string workspaceId, string email, string role, string invitedBy)
    {
        var token = SecretTokens.New(TokenPrefix);
        var salt = SecretHasher.NewSalt();
        var now = time.Now();
        var row = new InvitationRow
        {
            Id = Ids.New("inv", time),
            WorkspaceId = workspaceId,
            Email = email,
            Role = role,
            CreatedAt = now,
            ExpiresAt = now + (long)Lifetime.TotalMilliseconds,
        };
        await c.ExecuteAsync(
            """
            INSERT INTO invitations (id, workspace_id, email, role, lookup, salt, hash, invited_by, created_at, expires_at)
            VALUES (@Id, @WorkspaceId, @Email, @Role, @lookup, @salt, @hash, @invitedBy, @CreatedAt, @ExpiresAt)
            """,
            new { row.Id, row.WorkspaceId, row.Email, row.Role, lookup = Lookup(token), salt, hash = hasher.Hash(token, salt), invitedBy, row.CreatedAt, row.ExpiresAt },
            t);
        return new Issued(row, token);
    }

    /// <summary>The invitation a token opens, whatever its status, or null for any token that opens none (same work either way).</summary>
    public async Task<InvitationRow?> FindByTokenAsync(DbConnection c, DbTransaction? t, string? token)
    {
        var lookup = Lookup(token) ?? "piv_--------";
        var found = await c.QueryFirstOrDefaultAsync<TokenRow>(
            $"SELECT {InvitationRow.Columns}, salt AS Salt, hash AS Hash FROM invitations WHERE lookup = @lookup", new { lookup }, t);
        if (found is null)
        {
            hasher.BurnEquivalentWork(token ?? "");
            return null;
        }

        return hasher.Verify(token ?? "", found.Salt, found.Hash) ? found.ToRow() : null;
    }

    public async Task<InvitationRow?> FindByTokenAsync(string? token, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await FindByTokenAsync(connection, null, token);
    }

    /// <summary>A workspace's invitations, newest first; <paramref name="pendingOnly"/> leaves out accepted, revoked and expired ones.</summary>
    public async Task<IReadOnlyList<InvitationRow>> ListAsync(string workspaceId, bool pendingOnly, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<InvitationRow>(
            $"SELECT {InvitationRow.Columns} FROM invitations WHERE workspace_id = @workspaceId ORDER BY created_at DESC, id DESC LIMIT 200",
            new { workspaceId });
        var now = time.Now();
        return rows.Where(r => !pendingOnly || r.StatusAt(now) == InvitationStatus.Pending).ToList();
    }

    /// <summary>Whether the invited email has an account (so its owner signs in to accept rather than setting a password).</summary>
    public async Task<string?> UserIdOfAsync(string email, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<string>("SELECT id FROM users WHERE email = @email", new { email });
    }

    public static Task<long> PendingForEmailAsync(DbConnection c, DbTransaction t, string workspaceId, string email, long now) =>
        c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM invitations WHERE workspace_id = @workspaceId AND email = @email AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > @now",
            new { workspaceId, email, now }, t);

    // INVARIANT: the row's state decides who wins: a second accept, or an accept racing a revoke, changes nothing.
    public static async Task<bool> TryAcceptAsync(DbConnection c, DbTransaction t, string id, long now) =>
        await c.ExecuteAsync(
            "UPDATE invitations SET accepted_at = @now WHERE id = @id AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > @now",
            new { id, now }, t) == 1;

    /// <summary>Records who accepted, once their user row exists (the column references it).</summary>
    public static Task SetAcceptedByAsync(DbConnection c, DbTransaction t, string id, string userId) =>
        c.ExecuteAsync("UPDATE invitations SET accepted_by = @userId WHERE id = @id", new { id, userId }, t);

    public static async Task<bool> TryRevokeAsync(DbConnection c, DbTransaction t, string workspaceId, string id, string userId, long now) =>
        await c.ExecuteAsync(
            "UPDATE invitations SET revoked_at = @now, revoked_by = @userId WHERE id = @id AND workspace_id = @workspaceId AND accepted_at IS NULL AND revoked_at IS NULL",
            new { id, workspaceId, userId, now }, t) == 1;

    public static Task<InvitationRow?> FindAsync(DbConnection c, DbTransaction t, string workspaceId, string id) =>
        c.QueryFirstOrDefaultAsync<InvitationRow>(
            $"SELECT {InvitationRow.Columns} FROM invitations WHERE id = @id AND workspace_id = @workspaceId", new { id, workspaceId }, t);

    private static string? Lookup(string? token) => SecretTokens.LookupOf(token, TokenPrefix, SecretTokens.TokenLookupLength);

    private sealed class TokenRow
    {
        public string Id { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public string Email { get; init; } = "";
        public string Role { get; init; } = "";
        public long CreatedAt { get; init; }
        public long ExpiresAt { get; init; }
        public long? AcceptedAt { get; init; }
        public long? RevokedAt { get; init; }
        public byte[] Salt { get; init; } = [];
        public byte[] Hash { get; init; } = [];

        public InvitationRow ToRow() => new()
        {
            Id = Id,
            WorkspaceId = WorkspaceId,
            Email = Email,
            Role = Role,
            CreatedAt = CreatedAt,
            ExpiresAt = ExpiresAt,
            AcceptedAt = AcceptedAt,
            RevokedAt = RevokedAt,
        };
    }
}
