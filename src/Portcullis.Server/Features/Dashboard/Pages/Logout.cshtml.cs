using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages;

/// <summary>Sign-out revokes the session token server-side (the API's logout), then drops the cookie.</summary>
public sealed class LogoutModel(Database database, MemberTokens tokens) : DashboardPage
{
    public void OnGet()
    {
    }

    [RequiresRole(Role.Viewer)]
    public async Task<IActionResult> OnPostAsync()
    {
        await AuthApi.Logout(HttpContext, database, tokens);
        SessionCookie.Delete(HttpContext);
        return LocalRedirect("/login");
    }
}
