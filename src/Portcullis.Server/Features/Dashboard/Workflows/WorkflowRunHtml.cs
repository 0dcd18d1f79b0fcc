using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Server.Features.Workflows.Runs;
using static Portcullis.Server.Features.Dashboard.Web.Fmt;

namespace Portcullis.Server.Features.Dashboard.Workflows;

/// <summary>
/// A workflow run's steps as table rows. The run page renders them on load and its poll swaps them in as the run moves,
/// so a step looks the same either way. Every value is HTML-encoded here.
/// </summary>
public static class WorkflowRunHtml
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    public static string Steps(WorkflowRunDto run)
    {
        var html = new StringBuilder();
        var position = 0;
        foreach (var s in run.Steps ?? [])
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"step status-{E(s.Status)}\" data-step-id=\"{E(s.Id)}\">");
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"#\">{++position}</td>");
            html.Append(CultureInfo.InvariantCulture,
                $"<td data-label=\"Step\"><strong>{E(s.Name)}</strong>{(s.Name == s.Id ? "" : $" <code>{E(s.Id)}</code>")}<br><code class=\"muted\">{E(s.ActionType)}</code></td>");
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"Status\"><span class=\"{Badge(s.Status)} step-status\">{E(Label(s.Status))}</span>");
            if (s.ApprovalRequestId is { } approval && s.Status == StepStatus.AwaitingApproval)
            {
                html.Append(CultureInfo.InvariantCulture, $" <a class=\"approval-link\" href=\"/approvals/{E(Uri.EscapeDataString(approval))}\">Review the approval</a>");
            }

            html.Append("</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"Decision\">{(s.Decision is { } d ? $"<span class=\"{Badge(d)}\">{E(Label(d))}</span>" : "—")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"Input\">{Block(s.Input, "step-input")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td data-label=\"Output\">{Block(s.Output, "step-output")}");
            if (s.Error is { } error)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"error-text step-error\"><code>{E(error.Code)}</code> {E(error.Message)}</p>");
            }

            html.Append("</td></tr>");
        }

        return html.ToString();
    }

    private static string Block(JsonNode? node, string css) =>
        node is null ? "—" : $"<pre class=\"{css}\">{E(node.ToJsonString(Pretty))}</pre>";
}
