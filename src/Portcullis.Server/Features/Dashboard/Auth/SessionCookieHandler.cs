using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Server.Infrastructure.Security;

namespace Portcullis.Server.Features.Dashboard.Auth;

/// <summary>
/// Authenticates dashboard requests by the session cookie. Only dashboard endpoints name this scheme:
/// the REST API stays bearer-only, so a cookie can never drive it from another site.
/// </summary>
public sealed class SessionCookieHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, MemberTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Cookies[SessionCookie.Name];
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        // Personal access tokens never ride in a cookie; only sessions issued at sign-in do.
        if (!token.StartsWith(SecretTokens.SessionPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("invalid session");
        }

        var member = await tokens.AuthenticateAsync(token, Context.RequestAborted);
        return member is null
            ? AuthenticateResult.Fail("invalid session")
            : AuthenticateResult.Success(new AuthenticationTicket(MemberClaims.ToPrincipal(member, Scheme.Name), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Cookies.ContainsKey(SessionCookie.Name))
        {
            SessionCookie.Delete(Context);
        }

        if (DashboardPaths.IsBackground(Request))
        {
            await Problems.Unauthorized().ExecuteAsync(Context);
            return;
        }

        var returnUrl = Request.Path + Request.QueryString;
        Response.Redirect("/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        DashboardPaths.IsBackground(Request)
            ? Problems.Forbidden("your role does not allow this").ExecuteAsync(Context)
            : MessagePage.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed",
                $"Your role ({Context.User.GetMember().Role.ToWire()}) does not allow this page.");
}
