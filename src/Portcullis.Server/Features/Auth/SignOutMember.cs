using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Auth;

/// <summary>Revoke the token the actor is signed in with (<see cref="Member.TokenId"/>).</summary>
public sealed record SignOutMemberCommand(Member Actor);

public abstract record SignOutMemberResult
{
    private SignOutMemberResult()
    {
    }

    /// <summary>The token no longer authenticates; signing out with an already revoked token is this too.</summary>
    public sealed record SignedOut : SignOutMemberResult;
}

/// <summary>Signing out: the one use case behind <c>POST /api/auth/logout</c> and the dashboard's Sign out button.</summary>
public sealed class SignOutMember(Database database, MemberTokens tokens)
{
    public async Task<SignOutMemberResult> ExecuteAsync(SignOutMemberCommand command, CancellationToken ct)
    {
        var member = command.Actor;
        await database.WriteAsync((c, t) => tokens.RevokeAsync(c, t, member.WorkspaceId, member.UserId, member.TokenId), ct);
        return new SignOutMemberResult.SignedOut();
    }
}
