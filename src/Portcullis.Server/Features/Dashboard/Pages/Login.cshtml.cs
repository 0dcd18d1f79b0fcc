using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages;

/// <summary>Sign-in: the API's login use case (same checks, same <c>member.signed_in</c> audit entry), then the session cookie.</summary>
[EnableRateLimiting(AuthApi.LoginRateLimit)]
public sealed class LoginModel(Database database, Passwords passwords, MemberTokens tokens, AuditTrail audit) : PageModel
{
    public string? Email { get; private set; }

    public string? ReturnUrl { get; private set; }

    public FormProblem? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        // Already signed in (the page itself is anonymous, so ask the cookie scheme directly): go on.
        if ((await HttpContext.AuthenticateAsync(SessionCookie.Scheme)).Succeeded)
        {
            return LocalRedirect(SafeReturn(returnUrl));
        }

        ReturnUrl = returnUrl;
        return Page();
    }

    [AnonymousForm]
    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl)
    {
        var body = new FormJson().Text("email", email, required: true).Secret("password", password).ToElement();
        var result = (await AuthApi.LoginAsync(body, database, passwords, tokens, audit, via: "dashboard", HttpContext.RequestAborted)).Result;
        if (ApiResults.Value<AuthApi.LoginResponse>(result) is { } signedIn)
        {
            SessionCookie.Append(HttpContext, signedIn.Token, DateTimeOffset.Parse(signedIn.ExpiresAt, CultureInfo.InvariantCulture));
            return LocalRedirect(SafeReturn(returnUrl));
        }

        Problem = ApiResults.Problem(result);
        Response.StatusCode = Problem?.Status ?? StatusCodes.Status400BadRequest;
        Email = email;
        ReturnUrl = returnUrl;
        return Page();
    }

    // Only a path on this site, never back to the sign-in page itself.
    private string SafeReturn(string? returnUrl) =>
        returnUrl is not null && Url.IsLocalUrl(returnUrl) && !returnUrl.StartsWith("/login", StringComparison.OrdinalIgnoreCase) ? returnUrl : "/runs";
}
