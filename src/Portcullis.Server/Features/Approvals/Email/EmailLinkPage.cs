using System.Net;
using System.Text;
using Portcullis.Server.Features.Dashboard.Web;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>The pages an approval email's link leads to: the confirmation form, and the answer to everything else.</summary>
public static class EmailLinkPage
{
    /// <summary>The action, its digest, and Approve / Reject buttons in one form that carries the antiforgery token.</summary>
    public static IResult Confirm(EmailContent c, string recipient, string formAction, string antiforgeryField, string antiforgeryToken)
    {
        var body = new StringBuilder();
        body.Append("<h1>Approve or reject this action?</h1>")
            .Append(Para($"{c.AgentName} asks to run {c.ActionType}. Nothing is decided until you press a button below."))
            .Append("<dl class=\"facts\">");
        Fact(body, "Action", c.Provider is null ? c.ActionType : $"{c.ActionType} ({c.Provider})");
        Fact(body, "Resource", c.Resource);
        Fact(body, "Amount", c.Amount);
        Fact(body, "Why it is held", c.Reason);
        foreach (var policy in c.Policies)
        {
            Fact(body, "Policy", policy);
        }

        Fact(body, "Arguments digest", c.Digest);
        Fact(body, "Expires", c.ExpiresAt);
        Fact(body, "Deciding as", recipient);
        body.Append("</dl><h2>Payload</h2><pre class=\"payload\">").Append(H(c.PayloadJson)).Append("</pre>")
            .Append("<form method=\"post\" action=\"").Append(H(formAction)).Append("\">")
            .Append("<input type=\"hidden\" name=\"").Append(H(antiforgeryField)).Append("\" value=\"").Append(H(antiforgeryToken)).Append("\">")
            .Append("<label>Comment (optional)<textarea name=\"comment\" maxlength=\"").Append(DecideApproval.MaxCommentLength).Append("\"></textarea></label>")
            .Append("<button type=\"submit\" name=\"decision\" value=\"approve\" class=\"primary\">Approve</button> ")
            .Append("<button type=\"submit\" name=\"decision\" value=\"reject\" class=\"danger\">Reject</button></form>");
        return Page("Approve or reject", body.ToString(), StatusCodes.Status200OK);
    }

    /// <summary>A page that only says something: the outcome, or why the link does nothing.</summary>
    public static IResult Message(int status, string title, string text) =>
        Page(title, $"<h1>{H(title)}</h1>{Para(text)}", status);

    private static void Fact(StringBuilder body, string label, string? value)
    {
        if (value is not null)
        {
            body.Append("<dt>").Append(H(label)).Append("</dt><dd>").Append(H(value)).Append("</dd>");
        }
    }

    private static string Para(string text) => $"<p>{H(text)}</p>";

    private static string H(string text) => WebUtility.HtmlEncode(text);

    private static IResult Page(string title, string body, int status) => Results.Content(
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><title>{H(title)} · Portcullis</title>
        <link rel="stylesheet" href="{Assets.Url("dashboard.css")}"><link rel="stylesheet" href="{Assets.Url("theme.css")}"></head>
        <body><main class="card approval-email">{body}</main></body></html>
        """, "text/html; charset=utf-8", Encoding.UTF8, status);
}
