using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Take a member out of the actor's workspace.</summary>
public sealed record RemoveMemberCommand(Member Actor, string UserId);

public abstract record RemoveMemberResult
{
    private RemoveMemberResult()
    {
    }

    public sealed record Removed : RemoveMemberResult;

    public sealed record MemberNotFound(string UserId) : RemoveMemberResult;

    /// <summary>The member's role is above the actor's own.</summary>
    public sealed record Forbidden(string Detail) : RemoveMemberResult;

    /// <summary>Removing yourself, or the last owner.</summary>
    public sealed record Conflict(string Detail) : RemoveMemberResult;
}

/// <summary>
/// Removing a member: the one use case behind <c>DELETE /api/workspace/members/{userId}</c> and the dashboard's Remove button.
/// The user keeps their account (and other workspaces); in this one their sessions and tokens stop working at once, they
/// leave its approver groups, and what they did stays in the audit trail.
/// </summary>
public sealed class RemoveMember(Database database, AuditTrail audit, TimeProvider time)
{
    public Task<RemoveMemberResult> ExecuteAsync(RemoveMemberCommand command, CancellationToken ct)
    {
        var (actor, userId) = (command.Actor, command.UserId);
        return database.WriteAsync<RemoveMemberResult>(async (c, t) =>
        {
            var args = new { ws = actor.WorkspaceId, userId, now = time.Now() };
            var role = await c.QueryFirstOrDefaultAsync<string>("SELECT role FROM members WHERE workspace_id = @ws AND user_id = @userId", args, t);
            if (role is null)
            {
                return new RemoveMemberResult.MemberNotFound(userId);
            }

            Roles.TryParse(role, out var current);
            if (current > actor.Role)
            {
                return new RemoveMemberResult.Forbidden("you cannot remove a member whose role is above your own");
            }

            if (userId == actor.UserId)
            {
                return new RemoveMemberResult.Conflict("you cannot remove yourself; another admin or owner can");
            }

            var owners = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE workspace_id = @ws AND role = 'owner'", args, t);
            if (current == Role.Owner && owners <= 1)
            {
                return new RemoveMemberResult.Conflict("a workspace keeps at least one owner");
            }

            await c.ExecuteAsync("DELETE FROM members WHERE workspace_id = @ws AND user_id = @userId", args, t);
            // SECURITY: token look-ups join members already; revoking as well keeps a later re-add from reviving old sessions.
            await c.ExecuteAsync("UPDATE user_tokens SET revoked_at = @now WHERE workspace_id = @ws AND user_id = @userId AND revoked_at IS NULL", args, t);
            await c.ExecuteAsync(
                "DELETE FROM approver_group_members WHERE user_id = @userId AND group_id IN (SELECT id FROM approver_groups WHERE workspace_id = @ws)",
                args, t);
            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "member.removed", "user", userId, new { role });
            return new RemoveMemberResult.Removed();
        }, ct);
    }
}
