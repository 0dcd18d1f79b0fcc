using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Dashboard.Pages;

/// <summary>What every signed-in page shares: the member, the problem of a failed form, and messages across redirects.</summary>
public abstract class DashboardPage : PageModel
{
    public Member Member => User.GetMember();

    /// <summary>Why the last form was refused, in words, with the errors of each field.</summary>
    public FormProblem? Problem { get; private set; }

    public bool Can(Role role) => Member.Role >= role;

    protected CancellationToken Aborted => HttpContext.RequestAborted;

    /// <summary>A one-line confirmation shown on the next page (never a secret: it travels in a cookie).</summary>
    protected void Flash(string message) => TempData["Flash"] = message;

    /// <summary>A message shown on the next page in the warning style: it worked, but something needs a look.</summary>
    protected void FlashWarning(string message) => (TempData["Flash"], TempData["FlashKind"]) = (message, "warn");

    /// <summary>A message shown on the next page in the error style: what was asked did not happen.</summary>
    protected void FlashError(string message) => (TempData["Flash"], TempData["FlashKind"]) = (message, "error");

    protected void Fail(FormProblem problem)
    {
        Problem = problem;
        Response.StatusCode = problem.Status is >= 400 and < 500 ? problem.Status : StatusCodes.Status400BadRequest;
    }

    protected static IActionResult Missing(string what) =>
        MessagePage.Result(StatusCodes.Status404NotFound, "Not found", $"{what} was not found in this workspace.");
}
