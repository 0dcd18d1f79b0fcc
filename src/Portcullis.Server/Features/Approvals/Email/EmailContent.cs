using System.Globalization;
using System.Text.Json;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>What an approver reads about a held action, in the email and on the confirmation page alike.</summary>
public sealed record EmailContent(
    string ApprovalId, string AgentName, string ActionType, string? Provider, string? Resource, string? Amount, string Reason,
    IReadOnlyList<string> Policies, string? Digest, string? ShortDigest, string ExpiresAt, long ApprovalsRequired, string? Group,
    string PayloadJson)
{
    public static EmailContent Of(ApprovalRow a) => new(
        a.Id, a.AgentName, a.ActionType, a.Provider, a.ResourceType is null ? null : $"{a.ResourceType} {a.ResourceId}".TrimEnd(),
        AmountOf(a.Payload), a.Reason, PoliciesOf(a.MatchedPolicies), a.ArgumentsDigest, ArgumentsDigest.Short(a.ArgumentsDigest),
        Times.ToIso(a.ExpiresAt)!, a.ApprovalsRequired, a.ApproverGroup, Indented(a.EditedPayload ?? a.Payload));

    /// <summary>The payload's <c>amount</c> (in the currency's smallest unit, as Stripe's) written in major units, with its currency.</summary>
    private static string? AmountOf(string payloadJson)
    {
        using var doc = JsonDocument.Parse(payloadJson);
        var payload = doc.RootElement;
        if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("amount", out var amount) || amount.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        var currency = payload.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String ? " " + c.GetString()!.ToUpperInvariant() : "";
        return (amount.GetDecimal() / 100m).ToString("N2", CultureInfo.InvariantCulture) + currency;
    }

    /// <summary>"name: reason" for each matched policy.</summary>
    private static List<string> PoliciesOf(string matchedJson)
    {
        using var doc = JsonDocument.Parse(matchedJson);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return doc.RootElement.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object).Select(p =>
        {
            var name = p.TryGetProperty("name", out var n) ? n.ToString() : "policy";
            return p.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? $"{name}: {r.GetString()}" : name;
        }).ToList();
    }

    private static string Indented(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement, IndentedOptions);
    }

    private static readonly JsonSerializerOptions IndentedOptions = new() { WriteIndented = true };
}
