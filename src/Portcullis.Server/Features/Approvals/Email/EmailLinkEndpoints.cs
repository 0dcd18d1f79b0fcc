using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>
/// <c>GET /approvals/email/{token}</c> shows the confirmation page and changes nothing (mail scanners follow links);
/// <c>POST</c> from that page (antiforgery-protected) decides, once, as the link's recipient, through the same decision
/// use case as the dashboard and the API. Unknown, used, expired or foreign links get a page with a 4xx and change nothing.
/// </summary>
public static class EmailLinkEndpoints
{
    public const string Path = "/approvals/email";

    public static void Map(IEndpointRouteBuilder app)
    {
        var links = app.MapGroup(Path).AllowAnonymous().ExcludeFromDescription();
        links.MapGet("/{token}", Show);
        // The form's antiforgery token is checked by hand, before the link is even looked up.
        links.MapPost("/{token}", Decide).DisableAntiforgery();
    }

    private static async Task<IResult> Show(HttpContext http, string token, EmailLinks links, IAntiforgery antiforgery, TimeProvider time)
    {
        var link = await links.FindAsync(token, http.RequestAborted);
        if (await RefusalAsync(http, link, time) is { } refused)
        {
            return refused;
        }

        var tokens = antiforgery.GetAndStoreTokens(http);
        return EmailLinkPage.Confirm(EmailContent.Of(link!.Approval), link.Recipient, $"{Path}/{token}", tokens.FormFieldName, tokens.RequestToken!);
    }

    private static async Task<IResult> Decide(HttpContext http, string token, EmailLinks links, IAntiforgery antiforgery, ApprovalDecider decider,
        TimeProvider time)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return EmailLinkPage.Message(400, "This form has expired", "Open the link in the email again to approve or reject.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var decision = form["decision"].ToString();
        var comment = form["comment"].ToString() is { Length: > 0 } text ? text : null;
        if (decision is not ("approve" or "reject") || comment?.Length > DecideApproval.MaxCommentLength)
        {
            return EmailLinkPage.Message(400, "Nothing was decided",
                $"Press Approve or Reject on the confirmation page (a comment has at most {DecideApproval.MaxCommentLength} characters).");
        }

        var link = await links.FindAsync(token, http.RequestAborted);
        if (await RefusalAsync(http, link, time) is { } refused)
        {
            return refused;
        }

        if (!await links.ClaimAsync(link!.Id, decision))
        {
            return Used();
        }

        // Not the request's token: once the link is spent, the decision is made even if the approver hangs up.
        var result = await decider.DecideAsync(link.Member!, link.Approval.Id, decision == "approve", comment, CancellationToken.None, channel: DecisionChannel.Email);
        var (page, spent) = EmailDecisionPages.For(result);
        if (!spent)
        {
            await links.ReleaseAsync(link.Id);
        }

        return page;
    }

    /// <summary>Why this link cannot decide now, as a page; null when it can.</summary>
    private static async Task<IResult?> RefusalAsync(HttpContext http, EmailLink? link, TimeProvider time)
    {
        if (link is null)
        {
            return EmailLinkPage.Message(404, "This link is not valid", "Check that the whole link was copied from the email.");
        }

        // SECURITY: a link is bound to its recipient. Someone signed in to the dashboard as another member (a forwarded email)
        // is refused rather than deciding in the recipient's name.
        var session = await http.AuthenticateAsync(SessionCookie.Scheme);
        if (session.Succeeded && session.Principal.GetMember().UserId != link.UserId)
        {
            return EmailLinkPage.Message(403, "This link is someone else's",
                $"It was sent to {link.Recipient}, and you are signed in as another member. Decide from the dashboard instead.");
        }

        var approval = link.Approval;
        return link.UsedAt is not null ? Used()
            : approval.Status == ApprovalStatus.Expired || approval.IsDue(time.Now())
                ? EmailLinkPage.Message(410, "This request has expired", "Links expire with the request; nothing was decided and the action will not run.")
            : approval.Status != ApprovalStatus.Pending
                ? EmailLinkPage.Message(409, "Already decided", $"Someone already decided this request: it is {approval.Status}.")
            : link.Member is null
                ? EmailLinkPage.Message(403, "You cannot decide this request", "Your role in the workspace no longer lets you approve or reject actions.")
            : null;
    }

    private static IResult Used() =>
        EmailLinkPage.Message(410, "This link has already been used", "Each link decides once. Open the dashboard to see where the request stands.");
}
