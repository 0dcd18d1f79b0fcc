using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Auth;

/// <summary>Finds the membership a sign-in is for.</summary>
public static class SignIn
{
    public sealed class Candidate
    {
        public string UserId { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public string Role { get; init; } = "";
    }

    /// <summary>The user's membership in <paramref name="workspaceId"/>, or their oldest membership.</summary>
    public static async Task<Candidate?> FindAsync(Database database, string email, string? workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<Candidate>(
            """
            SELECT u.id AS UserId, u.password_hash AS PasswordHash, m.workspace_id AS WorkspaceId, m.role AS Role
            FROM users u JOIN members m ON m.user_id = u.id
            WHERE u.email = @email AND (@workspaceId IS NULL OR m.workspace_id = @workspaceId)
            ORDER BY m.created_at
            LIMIT 1
            """, new { email, workspaceId });
    }
}
