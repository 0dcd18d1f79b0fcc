using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces.Invitations;

public sealed record RevokeInvitationCommand(Member Actor, string InvitationId);

public abstract record RevokeInvitationResult
{
    private RevokeInvitationResult()
    {
    }

    public sealed record Revoked : RevokeInvitationResult;

    public sealed record NotFound(string InvitationId) : RevokeInvitationResult;

    /// <summary>Accepted or revoked already: nothing left to revoke.</summary>
    public sealed record Conflict(string Detail) : RevokeInvitationResult;
}

/// <summary>Revoking an invitation: its link stops working at once. Behind <c>DELETE /api/workspace/invitations/{id}</c> and the dashboard.</summary>
public sealed class RevokeInvitation(Database database, AuditTrail audit, TimeProvider time)
{
    public Task<RevokeInvitationResult> ExecuteAsync(RevokeInvitationCommand command, CancellationToken ct)
    {
        var (actor, id) = (command.Actor, command.InvitationId);
        return database.WriteAsync<RevokeInvitationResult>(async (c, t) =>
        {
            var now = time.Now();
            var row = await InvitationStore.FindAsync(c, t, actor.WorkspaceId, id);
            if (row is null)
            {
                return new RevokeInvitationResult.NotFound(id);
            }

            if (!await InvitationStore.TryRevokeAsync(c, t, actor.WorkspaceId, id, actor.UserId, now))
            {
                return new RevokeInvitationResult.Conflict($"the invitation is {row.StatusAt(now)} already");
            }

            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "invitation.revoked", "invitation", id,
                new { email = row.Email, role = row.Role });
            return new RevokeInvitationResult.Revoked();
        }, ct);
    }
}
