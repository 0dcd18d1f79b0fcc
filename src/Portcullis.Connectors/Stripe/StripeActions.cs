using System.Text.Json.Nodes;
using Portcullis.Connectors.Schema;

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

    // Stripe's documented metadata limits, checked here so the agent hears about them before any call.
    private static readonly MapSchema Metadata = new(new StringSchema { AllowEmpty = true, MaxLength = 500 })
    {
        MaxKeys = 50,
        KeyCheck = key => key.Length is 0 or > 40 || key.AsSpan().IndexOfAny('[', ']') >= 0
            ? "key must be 1 to 40 characters without `[` or `]`"
            : null,
        KeySchema = new JsonObject { ["minLength"] = 1, ["maxLength"] = 40, ["pattern"] = @"^[^\[\]]*$" },
        Description = "Up to 50 string values stored on the refund; keys 1 to 40 characters without `[` or `]`.",
    };

    public static readonly ActionDescriptor[] Actions =
    [
        // Destructive (money goes back) yet idempotent: every refund carries an Idempotency-Key.
        new(RefundCreateType, "Refund a charge or payment intent, in full or in part.",
            new ObjectSchema()
                .Optional("charge", new StringSchema { Description = "Id of the charge to refund (`ch_…`)." })
                .Optional("payment_intent", new StringSchema { Description = "Id of the payment intent to refund (`pi_…`)." })
                .Rule(SchemaRule.ExactlyOne("charge", "payment_intent"))
                .Optional("amount", new PositiveIntegerSchema { Description = "Amount in the currency's smallest unit (cents); the full amount when absent." })
                .Optional("reason", new StringSchema { Enum = RefundReasons })
                .Optional("metadata", Metadata),
            new ActionHints(ReadOnly: false, Destructive: true, Idempotent: true),
            p => new RefundCreate(p.String("charge"), p.String("payment_intent"), p.Long("amount"), p.String("reason"), p.StringMap("metadata"))),
        new(ChargeRetrieveType, "Read a charge.", IdPayload("chargeId", "Id of the charge (`ch_…`)."), ActionHints.Read,
            p => new ChargeRetrieve(p.String("chargeId")!)),
        new(CustomerRetrieveType, "Read a customer.", IdPayload("customerId", "Id of the customer (`cus_…`)."), ActionHints.Read,
            p => new CustomerRetrieve(p.String("customerId")!)),
    ];

    private static ObjectSchema IdPayload(string field, string description) =>
        new ObjectSchema().Required(field, new StringSchema { SingleLine = true, MaxLength = 255, Description = description });
}
