using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Creates users, adds them to workspaces and reads and changes their roles there.</summary>
public sealed class Membership(Passwords passwords, TimeProvider time)
{
    /// <summary>Adds a member, creating the user if the email is new; returns the user id, or null if already a member.</summary>
    public async Task<string?> AddAsync(DbConnection connection, DbTransaction transaction, string workspaceId,
        string email, string name, string password, Role role)
    {
        var now = time.Now();
        email = email.Trim().ToLowerInvariant();
        var userId = await connection.QueryFirstOrDefaultAsync<string>("SELECT id FROM users WHERE email = @email", new { email }, transaction);
        if (userId is null)
        {
            userId = Ids.New("usr", time);
            await connection.ExecuteAsync(
                "INSERT INTO users (id, email, name, password_hash, created_at) VALUES (@userId, @email, @name, @hash, @now)",
                new { userId, email, name, hash = passwords.Hash(password), now }, transaction);
        }

        var already = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM members WHERE workspace_id = @workspaceId AND user_id = @userId", new { workspaceId, userId }, transaction);
        if (already > 0)
        {
            return null;
        }

        await connection.ExecuteAsync(
            "INSERT INTO members (workspace_id, user_id, role, created_at) VALUES (@workspaceId, @userId, @role, @now)",
            new { workspaceId, userId, role = role.ToWire(), now }, transaction);
        return userId;
    }

    /// <summary>The members of a workspace, in the order they joined.</summary>
    public static async Task<IReadOnlyList<MemberDto>> ListAsync(DbConnection connection, string workspaceId)
    {
        var rows = await connection.QueryAsync<(string UserId, string Email, string Name, string Role, long CreatedAt)>(
            "SELECT u.id, u.email, u.name, m.role, m.created_at FROM members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = @workspaceId ORDER BY m.created_at",
            new { workspaceId });
        return rows.Select(r => new MemberDto(r.UserId, r.Email, r.Name, r.Role, Times.ToIso(r.CreatedAt))).ToList();
    }

    /// <summary>A member's role as stored, or null when the user is not a member of the workspace.</summary>
    public static Task<string?> RoleOfAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string userId) =>
        connection.QueryFirstOrDefaultAsync<string>(
            "SELECT role FROM members WHERE workspace_id = @workspaceId AND user_id = @userId", new { workspaceId, userId }, transaction);

    public static Task<long> OwnerCountAsync(DbConnection connection, DbTransaction transaction, string workspaceId) =>
        connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE workspace_id = @workspaceId AND role = 'owner'", new { workspaceId }, transaction);

    public static Task SetRoleAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string userId, string role) =>
        connection.ExecuteAsync("UPDATE members SET role = @role WHERE workspace_id = @workspaceId AND user_id = @userId",
            new { role, workspaceId, userId }, transaction);
}
