using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Auth;

/// <summary>
/// Sign a member in with email and password, into <see cref="WorkspaceId"/> or their oldest membership.
/// <see cref="Via"/> names a channel other than the API in the audit entry; <see cref="ClientAddress"/> is the caller's
/// address (forwarded by a known proxy) that failures are counted against.
/// </summary>
public sealed record SignInMemberCommand(string? Email, string? Password, string? WorkspaceId = null, string? Via = null, string? ClientAddress = null);

public abstract record SignInMemberResult
{
    private SignInMemberResult()
    {
    }

    /// <summary>A session token for the member; <see cref="Email"/> is the normalised address.</summary>
    public sealed record SignedIn(string Token, long ExpiresAt, string UserId, string Email, string WorkspaceId, string Role) : SignInMemberResult;

    public sealed record Invalid(FieldErrors Errors) : SignInMemberResult;

    // INVARIANT: one answer for an unknown email, a wrong password and a locked account, so none can be told apart; a
    // locked account (or address) only adds when to try again.
    public sealed record WrongCredentials(TimeSpan? RetryAfter = null) : SignInMemberResult;

    /// <summary>Too many failed sign-ins from the caller's address: 429 with <c>Retry-After</c>, whichever account was tried.</summary>
    public sealed record Throttled(TimeSpan RetryAfter) : SignInMemberResult;
}

/// <summary>Signing in: the one use case behind <c>POST /api/auth/login</c> and the dashboard's sign-in form.</summary>
public sealed class SignInMember(Database database, Passwords passwords, MemberTokens tokens, AuditTrail audit, LoginThrottle throttle)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<SignInMemberResult> ExecuteAsync(SignInMemberCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var email = errors.Text("email", command.Email, required: true, maxLength: 254)?.Trim().ToLowerInvariant();
        var password = errors.Text("password", command.Password, required: true, maxLength: 1024);
        var workspaceId = errors.Text("workspaceId", command.WorkspaceId, maxLength: 64);
        if (errors.Any)
        {
            return new SignInMemberResult.Invalid(errors);
        }

        // SECURITY: a locked account or address is not even checked, so guessing on stops teaching anything.
        if (throttle.AddressWait(command.ClientAddress) is { } addressWait)
        {
            return new SignInMemberResult.Throttled(addressWait);
        }

        if (throttle.AccountWait(email!) is { } accountWait)
        {
            return new SignInMemberResult.WrongCredentials(accountWait);
        }

        var login = await FindAsync(email!, workspaceId, ct);
        if (!passwords.Verify(login?.PasswordHash, password!) || login is null)
        {
            throttle.Failed(email!, command.ClientAddress);
            return new SignInMemberResult.WrongCredentials(throttle.AccountWait(email!));
        }

        throttle.Succeeded(email!);

        var issued = await database.WriteAsync(async (c, t) =>
        {
            var token = await tokens.IssueAsync(c, t, login.WorkspaceId, login.UserId, MemberTokens.SessionKind, "login", lifetime: MemberTokens.SessionLifetime);
            await audit.AppendAsync(c, t, login.WorkspaceId, Actor.User(login.UserId), "member.signed_in", "user", login.UserId,
                command.Via is null ? null : new { via = command.Via });
            return token;
        }, ct);

        return new SignInMemberResult.SignedIn(issued.Token, issued.ExpiresAt!.Value, login.UserId, email!, login.WorkspaceId, login.Role);
    }

    private sealed class Candidate
    {
        public string UserId { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public string Role { get; init; } = "";
    }

    /// <summary>The user's membership in <paramref name="workspaceId"/>, or their oldest membership.</summary>
    private async Task<Candidate?> FindAsync(string email, string? workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<Candidate>(
            """
            SELECT u.id AS UserId, u.password_hash AS PasswordHash, m.workspace_id AS WorkspaceId, m.role AS Role
            FROM users u JOIN members m ON m.user_id = u.id
            WHERE u.email = @email AND (@workspaceId IS NULL OR m.workspace_id = @workspaceId)
            ORDER BY m.created_at
            LIMIT 1
            """, new { email, workspaceId });
    }
}
