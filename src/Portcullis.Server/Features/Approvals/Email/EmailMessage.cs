using System.Net;
using System.Text;
using MimeKit;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>Builds the approval email: a plain-text part and the same in HTML, with the recipient's one-time link.</summary>
public static class EmailMessage
{
    public static MimeMessage Build(string emailId, string from, string to, string reason, EmailContent content, string link)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        var escalated = reason == EmailOutbox.Escalated ? " (escalated)" : "";
        message.Subject = $"Approval needed{escalated}: {content.ActionType} by {content.AgentName}";
        // Stable per row: should a crash make the worker send it again, the copies are recognisably one message.
        message.MessageId = $"{emailId}@portcullis";
        message.Headers.Add("X-Portcullis-Approval", content.ApprovalId);
        var lines = Lines(content, reason);
        message.Body = new BodyBuilder { TextBody = Text(lines, link), HtmlBody = Html(lines, link) }.ToMessageBody();
        return message;
    }

    private static List<(string Label, string Value)> Lines(EmailContent c, string reason)
    {
        var lines = new List<(string, string)> { ("Agent", c.AgentName), ("Action", c.Provider is null ? c.ActionType : $"{c.ActionType} ({c.Provider})") };
        if (c.Resource is not null)
        {
            lines.Add(("Resource", c.Resource));
        }

        if (c.Amount is not null)
        {
            lines.Add(("Amount", c.Amount));
        }

        lines.Add(("Why it is held", c.Reason));
        lines.AddRange(c.Policies.Select(p => ("Policy", p)));
        lines.Add(("Arguments digest", c.ShortDigest ?? "none"));
        lines.Add(("Expires", c.ExpiresAt));
        lines.Add(("Approvals needed", c.Group is null ? $"{c.ApprovalsRequired}" : $"{c.ApprovalsRequired} from the group {c.Group}"));
        if (reason == EmailOutbox.Escalated)
        {
            lines.Add(("Escalated", "nobody answered in time, so this request now goes to you"));
        }

        return lines;
    }

    private const string LinkNote =
        "The link opens a confirmation page: nothing is decided until you press Approve or Reject there. It works once, only for you, and expires with the request.";

    private static string Text(List<(string Label, string Value)> lines, string link)
    {
        var text = new StringBuilder("An agent's action is waiting for your approval.\n\n");
        foreach (var (label, value) in lines)
        {
            text.Append(label).Append(": ").Append(value).Append('\n');
        }

        return text.Append("\nReview and decide: ").Append(link).Append("\n\n").Append(LinkNote).Append('\n').ToString();
    }

    private static string Html(List<(string Label, string Value)> lines, string link)
    {
        var html = new StringBuilder("<p>An agent's action is waiting for your approval.</p><table>");
        foreach (var (label, value) in lines)
        {
            html.Append("<tr><th align=\"left\">").Append(WebUtility.HtmlEncode(label)).Append("</th><td>")
                .Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
        }

        var href = WebUtility.HtmlEncode(link);
        return html.Append("</table><p><a href=\"").Append(href).Append("\">Review and decide</a></p><p>")
            .Append(WebUtility.HtmlEncode(LinkNote)).Append("</p>").ToString();
    }
}
