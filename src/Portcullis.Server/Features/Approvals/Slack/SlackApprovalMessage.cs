using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// The Block Kit message of an approval: the action, its key payload fields, the amount where there is one, the matched
/// policies and reasons, a short digest, the expiry — and, while it is pending, Approve / Reject buttons whose
/// <c>value</c> is the approval id. Once decided, the buttons give way to who decided, when, through which channel, and
/// the outcome. Slack escapes nothing itself: every user-supplied text goes through <see cref="Escape"/>.
/// </summary>
public static class SlackApprovalMessage
{
    public const string ApproveAction = "portcullis_approve";
    public const string RejectAction = "portcullis_reject";
    public const string ActionsBlock = "portcullis_decision";
    private const int MaxKeyFields = 6;

    public static JsonArray Blocks(ApprovalDetailDto a, string? decidedByName)
    {
        var blocks = new JsonArray
        {
            Section($"*Approval needed:* `{Escape(a.ActionType)}`{(a.Provider is null ? "" : $" ({Escape(a.Provider)})")} requested by agent *{Escape(a.AgentName)}*"),
            Fields(Facts(a)),
        };
        if (KeyFields(a.Payload) is { Length: > 0 } keys)
        {
            blocks.Add(Section("*Payload*\n" + keys));
        }

        blocks.Add(Section("*Policies*\n" + Policies(a)));
        blocks.Add(a.Status == ApprovalStatus.Pending ? Buttons(a.Id) : Section(Outcome(a, decidedByName)));
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray { Markdown($"Approval `{a.Id}` · {a.ApprovalsReceived} of {a.ApprovalsRequired} approvals"
                + (a.ApproverGroup is null ? "" : $" · group *{Escape(a.ApproverGroup)}*")) },
        });
        return blocks;
    }

    /// <summary>The notification text (what phones and screen readers show).</summary>
    public static string Text(ApprovalDetailDto a, string? decidedByName) => a.Status == ApprovalStatus.Pending
        ? $"Approval needed: {a.ActionType} by {a.AgentName}"
        : $"{Title(a.Status)}: {a.ActionType} by {a.AgentName}" + (decidedByName is null ? "" : $" ({decidedByName})");

    /// <summary>Slack's three control characters, escaped as its documentation asks.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>The digest's short form, as the dashboard shows it.</summary>
    public static string ShortDigest(string? digest) => ArgumentsDigest.Short(digest) ?? "none";

    private static List<string> Facts(ApprovalDetailDto a)
    {
        var facts = new List<string>();
        if (a.ResourceType is not null || a.ResourceId is not null)
        {
            facts.Add($"*Resource*\n{Escape(a.ResourceType ?? "")} {Escape(a.ResourceId ?? "")}".TrimEnd());
        }

        if (Amount(a.Payload) is { } amount)
        {
            facts.Add($"*Amount*\n{amount}");
        }

        facts.Add($"*Digest*\n`{ShortDigest(a.EditedArgumentsDigest ?? a.ArgumentsDigest)}`");
        facts.Add($"*Expires*\n{Date(a.ExpiresAt)}");
        return facts;
    }

    private static string? Amount(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("amount", out var amount) || amount.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        var currency = payload.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String ? " " + Escape(c.GetString()!.ToUpperInvariant()) : "";
        return amount.GetRawText() + currency;
    }

    private static string KeyFields(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        var lines = payload.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)).Take(MaxKeyFields)
            .Select(p => $"• {Escape(p.Name)}: `{Escape(Clip(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))}`");
        return string.Join('\n', lines);
    }

    private static string Policies(ApprovalDetailDto a)
    {
        var lines = a.MatchedPolicies.ValueKind == JsonValueKind.Array
            ? a.MatchedPolicies.EnumerateArray().Select(p => $"• {Escape(Str(p, "name"))} ({Escape(Str(p, "decision"))}): {Escape(Str(p, "reason"))}").ToList()
            : [];
        return lines.Count > 0 ? string.Join('\n', lines) : Escape(a.Reason);
    }

    private static string Outcome(ApprovalDetailDto a, string? decidedByName)
    {
        var when = a.DecidedAt is null ? "" : " " + Date(DateTimeOffset.Parse(a.DecidedAt, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        var text = new StringBuilder($"*{Title(a.Status)}*");
        if (a.Status != ApprovalStatus.Expired && decidedByName is not null)
        {
            text.Append(" by *").Append(Escape(decidedByName)).Append('*');
        }

        text.Append(a.DecidedChannel is { } channel && a.Status != ApprovalStatus.Expired ? $" via {channel}" : "").Append(when);
        return a.Comment is { Length: > 0 } comment ? text.Append("\n> ").Append(Escape(Clip(comment))).ToString() : text.ToString();
    }

    private static string Title(string status) => status switch
    {
        ApprovalStatus.Approved => "Approved",
        ApprovalStatus.Rejected => "Rejected",
        ApprovalStatus.Expired => "Expired",
        _ => "Pending",
    };

    private static JsonObject Buttons(string approvalId) => new()
    {
        ["type"] = "actions",
        ["block_id"] = ActionsBlock,
        ["elements"] = new JsonArray { Button("Approve", ApproveAction, approvalId, "primary"), Button("Reject", RejectAction, approvalId, "danger") },
    };

    private static JsonObject Button(string label, string actionId, string value, string style) => new()
    {
        ["type"] = "button",
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = label },
        ["action_id"] = actionId,
        ["value"] = value,
        ["style"] = style,
    };

    private static JsonObject Section(string markdown) => new() { ["type"] = "section", ["text"] = Markdown(markdown) };

    private static JsonObject Fields(IEnumerable<string> fields) => new()
    {
        ["type"] = "section",
        ["fields"] = new JsonArray(fields.Select(f => (JsonNode)Markdown(f)).ToArray()),
    };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    // Slack renders the date in each reader's own zone; the fallback after the bar is the exact instant.
    private static string Date(string iso) => Date(DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());

    private static string Date(long unixMs) =>
        $"<!date^{unixMs / 1000}^{{date_short_pretty}} {{time}}|{DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}>";

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
