using System.Globalization;
using System.Text;
using System.Text.Json;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Runs;
using static Portcullis.Server.Features.Dashboard.Web.Fmt;

namespace Portcullis.Server.Features.Dashboard.Live;

/// <summary>
/// Renders one timeline entry as a list item. The run page and its live stream both use it, so a row
/// looks the same whether it was there on load or arrived later. Every value is HTML-encoded here.
/// </summary>
public static class TimelineHtml
{
    /// <summary>The whole timeline in order, each entry with the sort key its live neighbours compare against.</summary>
    public static string Entries(IEnumerable<TimelineEntryDto> entries)
    {
        var html = new StringBuilder();
        long sortSeq = 1;
        foreach (var entry in entries)
        {
            // A system entry sorts after the agent sequence number that preceded it.
            sortSeq = entry.SequenceNo ?? sortSeq;
            html.Append(Entry(entry, sortSeq));
        }

        return html.ToString();
    }

    public static string Entry(TimelineEntryDto e, long sortSeq)
    {
        var system = e.Source == Timeline.SourceSystem;
        var payload = e.Payload is { ValueKind: JsonValueKind.Object } p ? p : default;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture,
            $"<li class=\"entry {(system ? "system" : "agent")} kind-{E(e.EventType.Replace('.', '-'))}\" data-id=\"{e.Id}\" data-sort=\"{sortSeq}\" data-sys=\"{(system ? 1 : 0)}\">");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"entry-head\">{TimeHtml(e.OccurredAt)}");
        html.Append(system ? "<span class=\"source\">system</span>" : $"<span class=\"source agent\">#{e.SequenceNo}</span>");
        html.Append(CultureInfo.InvariantCulture, $"<strong class=\"event-type\">{E(e.EventType)}</strong></div>");
        html.Append("<div class=\"entry-body\">");
        Body(html, e.EventType, payload);
        html.Append("</div></li>");
        return html.ToString();
    }

    private static void Body(StringBuilder html, string eventType, JsonElement p)
    {
        switch (eventType)
        {
            case "action.requested":
                html.Append(CultureInfo.InvariantCulture, $"<p><code>{E(Str(p, "actionType"))}</code>");
                AppendIf(html, " via ", Str(p, "provider"));
                AppendIf(html, " on ", Join(Str(p, "resourceType"), Str(p, "resourceId")));
                html.Append("</p>");
                Json(html, "Payload", p, "payload");
                Json(html, "Evidence", p, "evidence");
                break;
            case "policy.decision":
                var decision = Str(p, "decision") ?? "";
                var reason = Str(p, "reason");
                html.Append(CultureInfo.InvariantCulture, $"<p><span class=\"{Badge(decision)}\">{E(Label(decision))}</span> {E(reason)}</p>");
                if (p.ValueKind == JsonValueKind.Object && p.TryGetProperty("matchedPolicies", out var matched) && matched.ValueKind == JsonValueKind.Array && matched.GetArrayLength() > 0)
                {
                    html.Append("<ul class=\"matched\">");
                    foreach (var m in matched.EnumerateArray())
                    {
                        html.Append(CultureInfo.InvariantCulture,
                            $"<li><a href=\"/policies/{Uri.EscapeDataString(Str(m, "id") ?? "")}\">{E(Str(m, "name"))}</a> <span class=\"{Badge(Str(m, "decision") ?? "")}\">{E(Label(Str(m, "decision") ?? ""))}</span>");
                        // The winning policy's reason is already the decision's; repeat only the others.
                        if (Str(m, "reason") is { } own && own != reason)
                        {
                            html.Append(" — ").Append(E(own));
                        }

                        html.Append("</li>");
                    }

                    html.Append("</ul>");
                }

                break;
            case "alert.raised":
                html.Append(CultureInfo.InvariantCulture, $"<p><span class=\"badge warn\">alert</span> {E(Str(p, "reason"))}</p>");
                break;
            case "approval.requested":
                var approvalId = Str(p, "approvalRequestId") ?? "";
                html.Append(CultureInfo.InvariantCulture,
                    $"<p><a href=\"/approvals/{Uri.EscapeDataString(approvalId)}\">Approval {E(approvalId)}</a> needed");
                AppendIf(html, ", expires ", Time(Str(p, "expiresAt")));
                html.Append("</p>");
                break;
            case "action.executed" or "action.failed" or "action.outcome_unknown":
                Execution(html, p.ValueKind == JsonValueKind.Object && p.TryGetProperty("execution", out var x) ? x : default);
                break;
            default:
                Json(html, "Details", p, null);
                break;
        }
    }

    private static void Execution(StringBuilder html, JsonElement x)
    {
        var status = Str(x, "status") ?? "";
        html.Append(CultureInfo.InvariantCulture, $"<p><span class=\"{Badge(status)}\">{E(status)}</span> <code>{E(Str(x, "action_type"))}</code> via {E(Str(x, "provider"))}");
        if (x.ValueKind == JsonValueKind.Object && x.TryGetProperty("simulated", out var sim) && sim.ValueKind == JsonValueKind.True)
        {
            html.Append(" <span class=\"badge\">demo</span>");
        }

        // Demo executions make no provider call, so they have no attempts worth showing.
        if (x.ValueKind == JsonValueKind.Object && x.TryGetProperty("attempts", out var attempts) && attempts.ValueKind == JsonValueKind.Number && attempts.GetInt32() > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $", {attempts.GetInt32()} attempt(s)");
        }

        html.Append("</p>");
        if (x.ValueKind == JsonValueKind.Object && x.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"error-text\">{E(Str(error, "message"))}</p>");
        }

        Json(html, "Provider response", x, "response_payload");
    }

    private static void Json(StringBuilder html, string title, JsonElement parent, string? member)
    {
        var value = member is null ? parent : parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(member, out var v) ? v : default;
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || (value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any()))
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<details><summary>{E(title)}</summary><pre>{E(Fmt.Json(value))}</pre></details>");
    }

    private static void AppendIf(StringBuilder html, string prefix, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            html.Append(E(prefix)).Append("<code>").Append(E(value)).Append("</code>");
        }
    }

    private static string? Join(string? a, string? b) => a is null && b is null ? null : $"{a}{(a is not null && b is not null ? " " : "")}{b}";

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
