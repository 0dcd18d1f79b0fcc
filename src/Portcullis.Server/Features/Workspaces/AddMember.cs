using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Add a member to the actor's workspace, creating the user when the email is new. <see cref="Role"/> is the wire name.</summary>
public sealed record AddMemberCommand(Member Actor, string? Email, string? Name, string? Password, string? Role);

public abstract record AddMemberResult
{
    private AddMemberResult()
    {
    }

    public sealed record Added(MemberDto Member) : AddMemberResult;

    public sealed record Invalid(FieldErrors Errors) : AddMemberResult;

    /// <summary>The role asked for is above the actor's own.</summary>
    public sealed record Forbidden(string Detail) : AddMemberResult;

    /// <summary>The email is already a member of the workspace.</summary>
    public sealed record Conflict(string Detail) : AddMemberResult;
}

/// <summary>Adding a member: the one use case behind <c>POST /api/workspace/members</c> and the dashboard's Add member form.</summary>
public sealed class AddMember(Database database, Membership membership, AuditTrail audit, TimeProvider time)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<AddMemberResult> ExecuteAsync(AddMemberCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var email = errors.Text("email", command.Email, required: true, maxLength: 254);
        var name = errors.Text("name", command.Name, required: true, maxLength: 100);
        var password = errors.Text("password", command.Password, required: true, maxLength: 1024);
        var roleText = errors.OneOf("role", command.Role, Roles.Wire, required: true);
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", "must be an email address");
        }

        if (password is not null && password.Length < Passwords.MinLength)
        {
            errors.Add("password", $"must be at least {Passwords.MinLength} characters");
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

        var userId = await database.WriteAsync(async (c, t) =>
        {
            var id = await membership.AddAsync(c, t, actor.WorkspaceId, email!, name!, password!, role);
            if (id is not null)
            {
                await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "member.added", "user", id, new { role = roleText });
            }

            return id;
        }, ct);

        return userId is null
            ? new AddMemberResult.Conflict($"`{email}` is already a member")
            : new AddMemberResult.Added(new MemberDto(userId, email!.Trim().ToLowerInvariant(), name!, roleText!, Times.ToIso(time.Now())));
    }
}
