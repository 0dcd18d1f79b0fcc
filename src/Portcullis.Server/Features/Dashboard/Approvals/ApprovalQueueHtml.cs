using System.Globalization;
using System.Text;
using static Portcullis.Server.Features.Dashboard.Web.Fmt;

namespace Portcullis.Server.Features.Dashboard.Approvals;

/// <summary>The rows of the pending queue, rendered for the page and for its live stream alike.</summary>
public static class ApprovalQueueHtml
{
    public static string Rows(IReadOnlyList<ApprovalView> pending)
    {
        if (pending.Count == 0)
        {
            return "<tr class=\"empty\"><td colspan=\"5\">Nothing is waiting for approval.</td></tr>";
        }

        var html = new StringBuilder();
        foreach (var a in pending)
        {
            var link = "/approvals/" + Uri.EscapeDataString(a.Id);
            html.Append(CultureInfo.InvariantCulture, $"<tr data-id=\"{E(a.Id)}\">");
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"Requested\">{TimeHtml(Infrastructure.Times.ToIso(a.CreatedAt))}</td>");
            var summary = ApprovalSummary.Of(a);
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"Action\"><a href=\"{link}\"><code>{E(a.ActionType)}</code></a>{(a.Provider is null ? "" : $" via {E(a.Provider)}")}");
            html.Append(summary.Length == 0 ? "</td>" : $"<div class=\"summary\">{E(summary)}</div></td>");
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"Agent\">{E(a.AgentName)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"Why\">{E(a.Reason)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"Expires\">{TimeHtml(Infrastructure.Times.ToIso(a.ExpiresAt))}</td>");
            html.Append("</tr>");
        }

        return html.ToString();
    }
}
