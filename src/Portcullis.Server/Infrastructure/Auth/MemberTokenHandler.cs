using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>Authenticates management requests by <c>Authorization: Bearer pcs_…|pat_…</c>.</summary>
public sealed class MemberTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, MemberTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (!token.StartsWith(Security.SecretTokens.SessionPrefix, StringComparison.Ordinal)
            && !token.StartsWith(Security.SecretTokens.AccessTokenPrefix, StringComparison.Ordinal))
        {
            // Not a member token at all (an agent key, say): the same refusal, without a lookup.
            return AuthenticateResult.Fail("invalid token");
        }

        var member = await tokens.AuthenticateAsync(token, Context.RequestAborted);
        return member is null
            ? AuthenticateResult.Fail("invalid token")
            : AuthenticateResult.Success(new AuthenticationTicket(MemberClaims.ToPrincipal(member, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Unauthorized().ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Forbidden("your role does not allow this").ExecuteAsync(Context);
}

public static class BearerToken
{
    /// <summary>The token of an <c>Authorization: Bearer …</c> header, or null.</summary>
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7
            ? header[7..].Trim()
            : null;
    }
}
