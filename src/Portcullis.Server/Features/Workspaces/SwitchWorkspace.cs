using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Move the actor's session into another of their workspaces.</summary>
public sealed record SwitchWorkspaceCommand(Member Actor, string? WorkspaceId);

public abstract record SwitchWorkspaceResult
{
    private SwitchWorkspaceResult()
    {
    }

    /// <summary>A session token in the target workspace; the old session is revoked.</summary>
    public sealed record Switched(string WorkspaceId, string Role, string Token, long ExpiresAt) : SwitchWorkspaceResult;

    /// <summary>Not a workspace the user belongs to (or no such workspace: the same answer).</summary>
    public sealed record NotFound(string WorkspaceId) : SwitchWorkspaceResult;
}

/// <summary>
/// Switching workspace: behind the dashboard's workspace switcher. A session belongs to one workspace (every query is
/// scoped by it), so switching issues a session in the target, ending when the old one would have, and revokes the old.
/// </summary>
public sealed class SwitchWorkspace(Database database, MemberTokens tokens, AuditTrail audit, TimeProvider time)
{
    public Task<SwitchWorkspaceResult> ExecuteAsync(SwitchWorkspaceCommand command, CancellationToken ct)
    {
        var (actor, target) = (command.Actor, command.WorkspaceId ?? "");
        return database.WriteAsync<SwitchWorkspaceResult>(async (c, t) =>
        {
            // SECURITY: membership is checked here, in the transaction that issues the session.
            var role = await Membership.RoleOfAsync(c, t, target, actor.UserId);
            if (role is null)
            {
                return new SwitchWorkspaceResult.NotFound(target);
            }

            var now = time.Now();
            var expiresAt = await c.QueryFirstOrDefaultAsync<long?>(
                "SELECT expires_at FROM user_tokens WHERE id = @id AND kind = 'session'", new { id = actor.TokenId }, t);
            var lifetime = expiresAt is { } e && e > now ? TimeSpan.FromMilliseconds(e - now) : MemberTokens.SessionLifetime;
            var session = await tokens.IssueAsync(c, t, target, actor.UserId, MemberTokens.SessionKind, "switch", lifetime: lifetime);
            // A session moves; a personal access token (API) stays where it is and valid.
            await c.ExecuteAsync("UPDATE user_tokens SET revoked_at = @now WHERE id = @id AND kind = 'session' AND revoked_at IS NULL",
                new { now, id = actor.TokenId }, t);
            await audit.AppendAsync(c, t, target, Actor.User(actor.UserId), "member.signed_in", "user", actor.UserId,
                new { via = "workspace_switch", from = actor.WorkspaceId });
            return new SwitchWorkspaceResult.Switched(target, role, session.Token, session.ExpiresAt!.Value);
        }, ct);
    }
}
