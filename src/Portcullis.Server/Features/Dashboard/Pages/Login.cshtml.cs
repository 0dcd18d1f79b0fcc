using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;

namespace Portcullis.Server.Features.Dashboard.Pages;

/// <summary>Sign-in: the <see cref="SignInMember"/> use case (same checks, same <c>member.signed_in</c> audit entry as the API), then the session cookie.</summary>
public sealed class LoginModel(SignInMember signIn) : PageModel
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
        var command = new SignInMemberCommand(FormFields.Text(email, required: true), FormFields.Secret(password), Via: "dashboard",
            ClientAddress: HttpContext.Connection.RemoteIpAddress?.ToString());
        switch (await signIn.ExecuteAsync(command, null, HttpContext.RequestAborted))
        {
            case SignInMemberResult.SignedIn signedIn:
                SessionCookie.Append(HttpContext, signedIn.Token, DateTimeOffset.FromUnixTimeMilliseconds(signedIn.ExpiresAt));
                return LocalRedirect(SafeReturn(returnUrl));
            case SignInMemberResult.Invalid invalid:
                Problem = FormProblem.Invalid(invalid.Errors);
                break;
            case SignInMemberResult.Throttled throttled:
                AuthApi.SetRetryAfter(HttpContext, throttled.RetryAfter);
                Problem = FormProblem.Refused(StatusCodes.Status429TooManyRequests, AuthApi.ThrottledDetail);
                break;
            case SignInMemberResult.WrongCredentials wrong:
                AuthApi.SetRetryAfter(HttpContext, wrong.RetryAfter);
                Problem = FormProblem.Refused(StatusCodes.Status401Unauthorized, AuthApi.WrongCredentialsDetail);
                break;
            default:
                throw new UnreachableException();
        }

        Response.StatusCode = Problem?.Status ?? StatusCodes.Status400BadRequest;
        Email = email;
        ReturnUrl = returnUrl;
        return Page();
    }

    // Only a path on this site, never back to the sign-in page itself.
    private string SafeReturn(string? returnUrl) =>
        returnUrl is not null && Url.IsLocalUrl(returnUrl) && !returnUrl.StartsWith("/login", StringComparison.OrdinalIgnoreCase) ? returnUrl : "/";
}
