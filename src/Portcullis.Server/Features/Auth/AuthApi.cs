using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Auth;

/// <summary>Sign-in for members, and their personal access tokens: <c>/api/auth…</c>.</summary>
public static class AuthApi
{
    public sealed record LoginRequest(string Email, string Password, string? WorkspaceId);

    public sealed record LoginResponse(string Token, string ExpiresAt, string UserId, string Email, string WorkspaceId, string Role);

    public sealed record TokenDto(string Id, string Name, string Kind, string CreatedAt, string? ExpiresAt, string? LastUsedAt, bool Revoked);

    public sealed record CreatedTokenDto(string Id, string Name, string Token, string CreatedAt);

    public static RouteGroupBuilder MapAuth(this RouteGroupBuilder group)
    {
        group.MapPost("/auth/login", Login).AllowAnonymous().Accepts<LoginRequest>("application/json");
        group.MapPost("/auth/logout", Logout).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/auth/tokens", CreateToken).RequireAuthorization(RolePolicies.Viewer);
        group.MapGet("/auth/tokens", ListTokens).RequireAuthorization(RolePolicies.Viewer);
        group.MapDelete("/auth/tokens/{id}", RevokeToken).RequireAuthorization(RolePolicies.Viewer);
        return group;
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Login(HttpContext http, SignInMember signIn, IOptions<LimitsOptions> limits)
    {
        return await JsonBody.ThenAsync<Ok<LoginResponse>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var fields = new JsonFields(body, new FieldErrors());
            var command = new SignInMemberCommand(fields.Text("email"), fields.Text("password"), fields.Text("workspaceId"),
                ClientAddress: http.Connection.RemoteIpAddress?.ToString());
            return await signIn.ExecuteAsync(command, fields.Errors, http.RequestAborted) switch
            {
                SignInMemberResult.SignedIn s => TypedResults.Ok(new LoginResponse(s.Token, Times.ToIso(s.ExpiresAt), s.UserId, s.Email, s.WorkspaceId, s.Role)),
                SignInMemberResult.Invalid invalid => Problems.Validation(invalid.Errors),
                SignInMemberResult.WrongCredentials wrong => WrongCredentials(http, wrong.RetryAfter),
                SignInMemberResult.Throttled throttled => Throttled(http, throttled.RetryAfter),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });
    }

    /// <summary>The one answer for an unknown email, a wrong password and a locked account (which adds <c>Retry-After</c>).</summary>
    public static ProblemHttpResult WrongCredentials(HttpContext http, TimeSpan? retryAfter)
    {
        SetRetryAfter(http, retryAfter);
        return Problems.Create(401, ErrorCodes.Unauthorized, "Unauthorized", WrongCredentialsDetail);
    }

    /// <summary>Too many failed sign-ins from one address: 429 <c>rate_limited</c> with <c>Retry-After</c>.</summary>
    public static ProblemHttpResult Throttled(HttpContext http, TimeSpan retryAfter)
    {
        SetRetryAfter(http, retryAfter);
        return Problems.Create(429, ErrorCodes.RateLimited, "Too many requests", ThrottledDetail);
    }

    public const string ThrottledDetail = "too many failed sign-ins from this address; retry later";

    /// <summary>Whole seconds, rounded up, as <c>Retry-After</c> wants them.</summary>
    public static void SetRetryAfter(HttpContext http, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public const string WrongCredentialsDetail = "the email or password is not correct";

    public static async Task<NoContent> Logout(HttpContext http, SignOutMember signOut) =>
        await signOut.ExecuteAsync(new SignOutMemberCommand(http.User.GetMember()), http.RequestAborted) switch
        {
            SignOutMemberResult.SignedOut => TypedResults.NoContent(),
            var other => throw new UnreachableException($"unexpected {other}"),
        };

    public static async Task<Results<Created<CreatedTokenDto>, ProblemHttpResult>> CreateToken(
        HttpContext http, Database database, MemberTokens tokens, AuditTrail audit, IOptions<LimitsOptions> limits)
    {
        var member = http.User.GetMember();
        var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var body = read.Document!;
        var fields = new JsonFields(body.RootElement, new FieldErrors());
        var name = fields.String("name", required: true, maxLength: 100);
        if (fields.Errors.Any)
        {
            return Problems.Validation(fields.Errors);
        }

        var issued = await database.WriteAsync(async (c, t) =>
        {
            var token = await tokens.IssueAsync(c, t, member.WorkspaceId, member.UserId, MemberTokens.AccessTokenKind, name!);
            await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "access_token.created", "token", token.Id, new { name });
            return token;
        }, http.RequestAborted);

        return TypedResults.Created($"/api/auth/tokens/{issued.Id}",
            new CreatedTokenDto(issued.Id, name!, issued.Token, Times.ToIso(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
    }

    public static async Task<Ok<IReadOnlyList<TokenDto>>> ListTokens(HttpContext http, Database database)
    {
        var member = http.User.GetMember();
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var rows = await connection.QueryAsync<(string Id, string Name, string Kind, long CreatedAt, long? ExpiresAt, long? LastUsedAt, long? RevokedAt)>(
            "SELECT id, name, kind, created_at, expires_at, last_used_at, revoked_at FROM user_tokens WHERE workspace_id = @ws AND user_id = @user AND kind = 'pat' ORDER BY created_at",
            new { ws = member.WorkspaceId, user = member.UserId });
        return TypedResults.Ok<IReadOnlyList<TokenDto>>(rows.Select(r => new TokenDto(r.Id, r.Name, r.Kind, Times.ToIso(r.CreatedAt),
            Times.ToIso(r.ExpiresAt), Times.ToIso(r.LastUsedAt), r.RevokedAt is not null)).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(HttpContext http, Database database, MemberTokens tokens, string id)
    {
        var member = http.User.GetMember();
        var changed = await database.WriteAsync((c, t) => tokens.RevokeAsync(c, t, member.WorkspaceId, member.UserId, id), http.RequestAborted);
        return changed > 0 ? TypedResults.NoContent() : Problems.NotFound($"token `{id}`");
    }
}
