using System.Text.Json;
using Portcullis.Connectors.Validation;

namespace Portcullis.Connectors.Stripe;

internal sealed record RefundCreate(string? Charge, string? PaymentIntent, long? Amount, string? Reason, IReadOnlyDictionary<string, string> Metadata);

internal sealed record ChargeRetrieve(string ChargeId);

internal sealed record CustomerRetrieve(string CustomerId);

/// <summary>Stripe payload schemas (spec table, plus Stripe's own limits on metadata).</summary>
internal static class StripeActions
{
    public const string RefundCreateType = "refund.create";
    public const string ChargeRetrieveType = "charge.retrieve";
    public const string CustomerRetrieveType = "customer.retrieve";

    /// <summary>The reasons Stripe accepts on a refund.</summary>
    public static readonly string[] RefundReasons = ["duplicate", "fraudulent", "requested_by_customer"];

    public static readonly ActionDefinition[] Definitions =
    [
        new(RefundCreateType, ProviderNames.Stripe, ParseRefund),
        new(ChargeRetrieveType, ProviderNames.Stripe, p => ParseId(p, "chargeId", id => new ChargeRetrieve(id))),
        new(CustomerRetrieveType, ProviderNames.Stripe, p => ParseId(p, "customerId", id => new CustomerRetrieve(id))),
    ];

    private static ParsedPayload ParseRefund(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["charge", "payment_intent", "amount", "reason", "metadata"]);
        var charge = v.String("charge", required: false);
        var paymentIntent = v.String("payment_intent", required: false);
        if (v.IsObject && !v.Has("charge") && !v.Has("payment_intent"))
        {
            v.Add("charge", "one of `charge` or `payment_intent` is required");
        }
        else if (v.Has("charge") && v.Has("payment_intent"))
        {
            v.Add("payment_intent", "must not be set together with `charge`");
        }

        var amount = v.PositiveInteger("amount", required: false);
        var reason = v.OneOf("reason", required: false, RefundReasons);
        var metadata = v.StringMap("metadata", required: false);
        CheckMetadata(v, metadata);
        return ParsedPayload.From(v, () => new RefundCreate(charge, paymentIntent, amount, reason, metadata?.ToDictionary(m => m.Key, m => m.Value!) ?? new Dictionary<string, string>()));
    }

    // Stripe's documented metadata limits, checked here so the agent hears about them before any call.
    private static void CheckMetadata(PayloadValidator v, IReadOnlyDictionary<string, string?>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > 50)
        {
            v.Add("metadata", "must have at most 50 keys");
        }

        foreach (var (key, value) in metadata)
        {
            var path = $"{v.PathOf("metadata")}.{key}";
            if (key.Length is 0 or > 40 || key.AsSpan().IndexOfAny('[', ']') >= 0)
            {
                v.AddAt(path, "key must be 1 to 40 characters without `[` or `]`");
            }
            else if (value?.Length > 500)
            {
                v.AddAt(path, "must be at most 500 characters");
            }
        }
    }

    private static ParsedPayload ParseId<T>(JsonElement payload, string field, Func<string, T> build) where T : class
    {
        var v = PayloadValidator.ForPayload(payload, [field]);
        var id = v.String(field, required: true, singleLine: true, maxLength: 255);
        return ParsedPayload.From(v, () => build(id!));
    }
}
