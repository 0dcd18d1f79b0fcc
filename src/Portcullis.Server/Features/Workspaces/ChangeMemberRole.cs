using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Give a member of the actor's workspace another role (its wire name).</summary>
public sealed record ChangeMemberRoleCommand(Member Actor, string UserId, string? Role);

public abstract record ChangeMemberRoleResult
{
    private ChangeMemberRoleResult()
    {
    }

    public sealed record Changed : ChangeMemberRoleResult;

    public sealed record Invalid(FieldErrors Errors) : ChangeMemberRoleResult;

    public sealed record MemberNotFound(string UserId) : ChangeMemberRoleResult;

    /// <summary>The new or the current role is above the actor's own.</summary>
    public sealed record Forbidden(string Detail) : ChangeMemberRoleResult;

    /// <summary>The change would leave the workspace without an owner.</summary>
    public sealed record Conflict(string Detail) : ChangeMemberRoleResult;
}

/// <summary>Changing a member's role: the one use case behind <c>PATCH /api/workspace/members/{userId}</c> and the dashboard's role menu.</summary>
public sealed class ChangeMemberRole(Database database, AuditTrail audit)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<ChangeMemberRoleResult> ExecuteAsync(ChangeMemberRoleCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var roleText = errors.OneOf("role", command.Role, Roles.Wire, required: true);
        if (errors.Any)
        {
            return new ChangeMemberRoleResult.Invalid(errors);
        }

        var (actor, userId) = (command.Actor, command.UserId);
        Roles.TryParse(roleText, out var role);
        return await database.WriteAsync<ChangeMemberRoleResult>(async (c, t) =>
        {
            var current = await c.QueryFirstOrDefaultAsync<string>(
                "SELECT role FROM members WHERE workspace_id = @ws AND user_id = @userId", new { ws = actor.WorkspaceId, userId }, t);
            if (current is null)
            {
                return new ChangeMemberRoleResult.MemberNotFound(userId);
            }

            Roles.TryParse(current, out var currentRole);
            if (role > actor.Role || currentRole > actor.Role)
            {
                return new ChangeMemberRoleResult.Forbidden("you cannot change a role above your own");
            }

            var owners = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE workspace_id = @ws AND role = 'owner'", new { ws = actor.WorkspaceId }, t);
            if (currentRole == Role.Owner && role != Role.Owner && owners <= 1)
            {
                return new ChangeMemberRoleResult.Conflict("a workspace keeps at least one owner");
            }

            await c.ExecuteAsync("UPDATE members SET role = @role WHERE workspace_id = @ws AND user_id = @userId", new { role = roleText, ws = actor.WorkspaceId, userId }, t);
            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "member.role_changed", "user", userId, new { from = current, to = roleText });
            return new ChangeMemberRoleResult.Changed();
        }, ct);
    }
}
