using System.Globalization;
using System.Text.Json;

namespace Portcullis.Server.Features.Dashboard.Approvals;

/// <summary>
/// One line an approver reads in the queue before opening a request: the amount, the recipient and the record it touches,
/// taken from the payload fields that the built-in actions use (and that custom actions usually share).
/// </summary>
public static class ApprovalSummary
{
    private static readonly string[] RecipientFields = ["to", "recipient", "email", "phone", "channel", "customer", "customerId", "url"];
    private static readonly string[] RecordFields = ["charge", "payment_intent", "ticketId", "recordId", "chargeId", "customerId", "id"];

    public static string Of(ApprovalView approval)
    {
        var payload = approval.PayloadJson;
        var parts = new List<string>();
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        if (payload.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Number)
        {
            var currency = payload.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String ? " " + c.GetString()!.ToUpperInvariant() : "";
            // Amounts are in the currency's smallest unit (cents), as Stripe's are.
            parts.Add($"amount {(amount.GetDecimal() / 100m).ToString("N2", CultureInfo.InvariantCulture)}{currency}");
        }

        if (First(payload, RecipientFields) is { } recipient)
        {
            parts.Add($"to {recipient}");
        }

        var record = approval.ResourceId is not null
            ? $"{approval.ResourceType ?? "record"} {approval.ResourceId}"
            : First(payload, RecordFields, except: parts.Count > 1 ? "customerId" : null) is { } id ? $"record {id}" : null;
        if (record is not null)
        {
            parts.Add(record);
        }

        return string.Join(" · ", parts);
    }

    private static string? First(JsonElement payload, string[] fields, string? except = null)
    {
        foreach (var field in fields)
        {
            if (field != except && payload.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                var text = value.ToString();
                return text.Length > 60 ? text[..59] + "…" : text;
            }
        }

        return null;
    }
}
