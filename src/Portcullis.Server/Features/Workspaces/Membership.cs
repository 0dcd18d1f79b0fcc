using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Creates users and adds them to workspaces.</summary>
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
}
