using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Features.Workspaces.Invitations;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Invitations;

/// <summary>
/// The page an invitation link opens (anonymous): a new user sets a name and password, an existing user signs in and
/// accepts; either way the <see cref="AcceptInvitation"/> use case, then a session in the workspace joined.
/// </summary>
public sealed class AcceptModel(InvitationStore store, AcceptInvitation accept, MemberTokens tokens, Database database, TimeProvider time) : PageModel
{
    public enum View { NewUser, Accept, SignIn, WrongAccount }

    public View Shows { get; private set; }

    public InvitationRow Invitation { get; private set; } = null!;

    public Member? SignedIn { get; private set; }

    public FormProblem? Problem { get; private set; }

    public string Token { get; private set; } = "";

    public string? Name { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? token) => await LoadAsync(token) ?? Page();

    [AnonymousForm]
    public async Task<IActionResult> OnPostAsync(string? token, string? name, string? password)
    {
        if (await LoadAsync(token) is { } refused)
        {
            return refused;
        }

        var result = await accept.ExecuteAsync(new AcceptInvitationCommand(token, SignedIn, FormFields.Text(name), FormFields.Secret(password)), null,
            HttpContext.RequestAborted);
        if (result is AcceptInvitationResult.Accepted joined)
        {
            if (SignedIn is { } previous)
            {
                await database.WriteAsync((c, t) => tokens.RevokeAsync(c, t, previous.WorkspaceId, previous.UserId, previous.TokenId), HttpContext.RequestAborted);
            }

            SessionCookie.Append(HttpContext, joined.Token, DateTimeOffset.FromUnixTimeMilliseconds(joined.ExpiresAt));
            TempData["Flash"] = $"Welcome: you joined the workspace as {joined.Role}.";
            return LocalRedirect("/");
        }

        if (result is AcceptInvitationResult.Invalid or AcceptInvitationResult.AlreadyMember)
        {
            Problem = FormProblem.From(InvitationsApi.Refusal(result).ProblemDetails);
            Response.StatusCode = Problem.Status;
            Name = name;
            return Page();
        }

        return Refused(InvitationsApi.Refusal(result).ProblemDetails);
    }

    /// <summary>Reads the invitation and who is signed in; a page to answer instead when the link cannot be used.</summary>
    private async Task<IActionResult?> LoadAsync(string? token)
    {
        Token = token ?? "";
        var found = await store.FindByTokenAsync(token, HttpContext.RequestAborted);
        if (found is null)
        {
            return MessagePage.Result(StatusCodes.Status404NotFound, "Invitation not found", "This invitation link is not valid. Check that it was copied whole.");
        }

        var status = found.StatusAt(time.GetUtcNow().ToUnixTimeMilliseconds());
        if (status != InvitationStatus.Pending)
        {
            return MessagePage.Result(StatusCodes.Status410Gone, "Invitation no longer valid", Sentence(InvitationsApi.GoneDetail(status)));
        }

        Invitation = found;
        var auth = await HttpContext.AuthenticateAsync(SessionCookie.Scheme);
        SignedIn = auth.Succeeded ? auth.Principal.GetMember() : null;
        var existing = await store.UserIdOfAsync(found.Email, HttpContext.RequestAborted);
        Shows = SignedIn is { } member
            ? (string.Equals(member.Email, found.Email, StringComparison.OrdinalIgnoreCase) ? View.Accept : View.WrongAccount)
            : existing is null ? View.NewUser : View.SignIn;
        return null;
    }

    private static IActionResult Refused(Microsoft.AspNetCore.Mvc.ProblemDetails problem) =>
        MessagePage.Result(problem.Status ?? StatusCodes.Status400BadRequest, problem.Title ?? "Refused", Sentence(problem.Detail ?? ""));

    private static string Sentence(string detail) => detail.Length == 0 ? detail : char.ToUpperInvariant(detail[0]) + detail[1..] + ".";

    public string SignInUrl => "/login?returnUrl=" + Uri.EscapeDataString($"{InvitationLinks.AcceptPath}?token={Uri.EscapeDataString(Token)}");
}
