using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages;

/// <summary>Sign-out revokes the session token server-side (the <see cref="SignOutMember"/> use case, as the API's logout), then drops the cookie.</summary>
public sealed class LogoutModel(SignOutMember signOut) : DashboardPage
{
    public void OnGet()
    {
    }

    [RequiresRole(Role.Viewer)]
    public async Task<IActionResult> OnPostAsync()
    {
        await signOut.ExecuteAsync(new SignOutMemberCommand(Member), Aborted);
        SessionCookie.Delete(HttpContext);
        return LocalRedirect("/login");
    }
}
