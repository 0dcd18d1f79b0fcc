using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Workspaces.Invitations;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Invite someone by email into the actor's workspace with a role (its wire name).</summary>
public sealed record AddMemberCommand(Member Actor, string? Email, string? Role);

public abstract record AddMemberResult
{
    private AddMemberResult()
    {
    }

    /// <summary>The invitation, and its one-time token: shown to the inviting admin this once, stored only as a hash.</summary>
    public sealed record Invited(InvitationDto Invitation, string Token) : AddMemberResult;

    public sealed record Invalid(FieldErrors Errors) : AddMemberResult;

    /// <summary>The role asked for is above the actor's own.</summary>
    public sealed record Forbidden(string Detail) : AddMemberResult;

    /// <summary>The email is already a member of the workspace, or already has a pending invitation.</summary>
    public sealed record Conflict(string Detail) : AddMemberResult;
}

/// <summary>
/// Adding a member: the one use case behind <c>POST /api/workspace/members</c> and the dashboard's Add member form.
/// SECURITY: nobody joins a workspace without consent. It creates an invitation the person accepts through a one-time
/// link (signing in, or setting a password when the email is new), and the answer never says whether the email has an
/// account elsewhere or what its user id is.
/// </summary>
public sealed class AddMember(Database database, InvitationStore invitations, AuditTrail audit, TimeProvider time)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<AddMemberResult> ExecuteAsync(AddMemberCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var email = errors.Text("email", command.Email, required: true, maxLength: 254)?.Trim().ToLowerInvariant();
        var roleText = errors.OneOf("role", command.Role, Roles.Wire, required: true);
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", "must be an email address");
        }

        if (errors.Any)
        {
            return new AddMemberResult.Invalid(errors);
        }

        var actor = command.Actor;
        Roles.TryParse(roleText, out var role);
        if (role > actor.Role)
        {
            return new AddMemberResult.Forbidden("you cannot grant a role above your own");
        }

        return await database.WriteAsync<AddMemberResult>(async (c, t) =>
        {
            var member = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = @ws AND u.email = @email",
                new { ws = actor.WorkspaceId, email }, t);
            if (member > 0)
            {
                return new AddMemberResult.Conflict($"`{email}` is already a member");
            }

            if (await InvitationStore.PendingForEmailAsync(c, t, actor.WorkspaceId, email!, time.Now()) > 0)
            {
                return new AddMemberResult.Conflict($"`{email}` already has a pending invitation; revoke it to send a new one");
            }

            var issued = await invitations.CreateAsync(c, t, actor.WorkspaceId, email!, roleText!, actor.UserId);
            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "member.invited", "invitation", issued.Row.Id,
                new { email, role = roleText });
            return new AddMemberResult.Invited(issued.Row.ToDto(time.Now()), issued.Token);
        }, ct);
    }
}
