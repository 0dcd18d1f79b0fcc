using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces.Invitations;

/// <summary>
/// Accept an invitation by its token. <see cref="SignedIn"/> is who is signed in (any of their workspaces), or null; a new
/// user (no account for the invited email) gives <see cref="Name"/> and <see cref="Password"/> instead.
/// </summary>
public sealed record AcceptInvitationCommand(string? Token, Member? SignedIn, string? Name = null, string? Password = null);

public abstract record AcceptInvitationResult
{
    private AcceptInvitationResult()
    {
    }

    /// <summary>Joined: a session in the workspace joined, so the invitee can go straight in.</summary>
    public sealed record Accepted(string WorkspaceId, string UserId, string Email, string Role, bool NewUser, string Token, long ExpiresAt)
        : AcceptInvitationResult;

    public sealed record Invalid(FieldErrors Errors) : AcceptInvitationResult;

    /// <summary>No invitation has this token.</summary>
    public sealed record NotFound : AcceptInvitationResult;

    /// <summary>Accepted already, revoked or expired (<see cref="Status"/>).</summary>
    public sealed record Gone(string Status) : AcceptInvitationResult;

    /// <summary>The invited email has an account: its owner must sign in to accept.</summary>
    public sealed record SignInRequired(string Email) : AcceptInvitationResult;

    /// <summary>Signed in as another email than the one invited.</summary>
    public sealed record WrongAccount(string Invited) : AcceptInvitationResult;

    public sealed record AlreadyMember : AcceptInvitationResult;
}

/// <summary>Accepting an invitation: the one use case behind <c>POST /api/invitations/accept</c> and the dashboard's invitation page.</summary>
public sealed class AcceptInvitation(Database database, InvitationStore invitations, Passwords passwords, MemberTokens tokens, AuditTrail audit,
    TimeProvider time)
{
    public async Task<AcceptInvitationResult> ExecuteAsync(AcceptInvitationCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var found = await invitations.FindByTokenAsync(command.Token, ct);
        if (found is null)
        {
            return new AcceptInvitationResult.NotFound();
        }

        if (found.StatusAt(time.Now()) is var status && status != InvitationStatus.Pending)
        {
            return new AcceptInvitationResult.Gone(status);
        }

        if (command.SignedIn is { } member && !string.Equals(member.Email, found.Email, StringComparison.OrdinalIgnoreCase))
        {
            return new AcceptInvitationResult.WrongAccount(found.Email);
        }

        var existing = await invitations.UserIdOfAsync(found.Email, ct);
        if (existing is not null && command.SignedIn is null)
        {
            return new AcceptInvitationResult.SignInRequired(found.Email);
        }

        var errors = unread ?? new FieldErrors();
        var name = existing is null ? errors.Text("name", command.Name, required: true, maxLength: 100) : null;
        var password = existing is null ? errors.Text("password", command.Password, required: true, maxLength: 1024) : null;
        if (password is not null && password.Length < Passwords.MinLength)
        {
            errors.Add("password", $"must be at least {Passwords.MinLength} characters");
        }

        return errors.Any
            ? new AcceptInvitationResult.Invalid(errors)
            : await JoinAsync(found, existing, name, password, ct);
    }

    private async Task<AcceptInvitationResult> JoinAsync(InvitationRow invitation, string? existing, string? name, string? password, CancellationToken ct) =>
        await database.WriteAsync<AcceptInvitationResult>(async (c, t) =>
        {
            var now = time.Now();
            var userId = existing ?? Ids.New("usr", time);
            var ws = invitation.WorkspaceId;
            if (existing is not null && await Membership.RoleOfAsync(c, t, ws, existing) is not null)
            {
                return new AcceptInvitationResult.AlreadyMember();
            }

            if (!await InvitationStore.TryAcceptAsync(c, t, invitation.Id, now))
            {
                var again = await InvitationStore.FindAsync(c, t, ws, invitation.Id);
                return new AcceptInvitationResult.Gone(again?.StatusAt(now) ?? InvitationStatus.Revoked);
            }

            if (existing is null)
            {
                await c.ExecuteAsync("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (@userId, @email, @name, @hash, @now)",
                    new { userId, email = invitation.Email, name, hash = passwords.Hash(password!), now }, t);
            }

            await InvitationStore.SetAcceptedByAsync(c, t, invitation.Id, userId);
            await c.ExecuteAsync("INSERT INTO members (workspace_id, user_id, role, created_at) VALUES (@ws, @userId, @role, @now)",
                new { ws, userId, role = invitation.Role, now }, t);
            await audit.AppendAsync(c, t, ws, Actor.User(userId), "invitation.accepted", "invitation", invitation.Id,
                new { email = invitation.Email, role = invitation.Role, newUser = existing is null });
            var session = await tokens.IssueAsync(c, t, ws, userId, MemberTokens.SessionKind, "invitation", lifetime: MemberTokens.SessionLifetime);
            return new AcceptInvitationResult.Accepted(ws, userId, invitation.Email, invitation.Role, existing is null, session.Token, session.ExpiresAt!.Value);
        }, ct);
}
