using System.Text.Json.Nodes;
using Portcullis.Connectors.Schema;

namespace Portcullis.Connectors.Stripe;

/// <summary>Every Stripe action may run on behalf of a connected account (the <c>Stripe-Account</c> header).</summary>
internal interface IStripeAction
{
    string? StripeAccount { get; }
}

internal sealed record RefundCreate(string? Charge, string? PaymentIntent, long? Amount, string? Reason, IReadOnlyDictionary<string, string> Metadata, string? StripeAccount) : IStripeAction;

internal sealed record RefundRetrieve(string RefundId, string? StripeAccount) : IStripeAction;

internal sealed record RefundList(string? Charge, string? PaymentIntent, long? Limit, string? StartingAfter, string? StripeAccount) : IStripeAction;

internal sealed record ChargeRetrieve(string ChargeId, string? StripeAccount) : IStripeAction;

internal sealed record CustomerRetrieve(string CustomerId, string? StripeAccount) : IStripeAction;

/// <summary>Stripe payload schemas (spec table, plus Stripe's own limits on metadata).</summary>
internal static class StripeActions
{
    public const string RefundCreateType = "refund.create";
    public const string RefundRetrieveType = "refund.retrieve";
    public const string RefundListType = "refund.list";
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

    private static readonly StringSchema Account = new()
    {
        SingleLine = true,
        MaxLength = 255,
        Pattern = "^acct_[A-Za-z0-9]+$",
        Check = id => id.StartsWith("acct_", StringComparison.Ordinal) && id.Length > 5 && id.Skip(5).All(char.IsAsciiLetterOrDigit)
            ? null
            : "must be a connected account id (`acct_…`)",
        Description = "Connected account to act on (`acct_…`), sent as the `Stripe-Account` header; the platform account when absent.",
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
                .Optional("metadata", Metadata)
                .Optional("stripeAccount", Account),
            new ActionHints(ReadOnly: false, Destructive: true, Idempotent: true),
            p => new RefundCreate(p.String("charge"), p.String("payment_intent"), p.Long("amount"), p.String("reason"), p.StringMap("metadata"), p.String("stripeAccount"))),
        new(RefundRetrieveType, "Read a refund.", IdPayload("refundId", "Id of the refund (`re_…`)."), ActionHints.Read,
            p => new RefundRetrieve(p.String("refundId")!, p.String("stripeAccount"))),
        new(RefundListType, "List the refunds of a charge or payment intent, newest first, a page at a time.",
            new ObjectSchema()
                .Optional("charge", new StringSchema { SingleLine = true, MaxLength = 255, Description = "Only refunds of this charge (`ch_…`)." })
                .Optional("payment_intent", new StringSchema { SingleLine = true, MaxLength = 255, Description = "Only refunds of this payment intent (`pi_…`)." })
                .Rule(SchemaRule.ExactlyOne("charge", "payment_intent"))
                .Optional("limit", new PositiveIntegerSchema { Maximum = 100, Description = "Refunds per page, 1 to 100 (Stripe's default is 10)." })
                .Optional("starting_after", new StringSchema { SingleLine = true, MaxLength = 255, Description = "Refund id (`re_…`) the page starts after: the last `id` of the previous page when `has_more` was true." })
                .Optional("stripeAccount", Account),
            ActionHints.Read,
            p => new RefundList(p.String("charge"), p.String("payment_intent"), p.Long("limit"), p.String("starting_after"), p.String("stripeAccount"))),
        new(ChargeRetrieveType, "Read a charge.", IdPayload("chargeId", "Id of the charge (`ch_…`)."), ActionHints.Read,
            p => new ChargeRetrieve(p.String("chargeId")!, p.String("stripeAccount"))),
        new(CustomerRetrieveType, "Read a customer.", IdPayload("customerId", "Id of the customer (`cus_…`)."), ActionHints.Read,
            p => new CustomerRetrieve(p.String("customerId")!, p.String("stripeAccount"))),
    ];

    private static ObjectSchema IdPayload(string field, string description) =>
        new ObjectSchema()
            .Required(field, new StringSchema { SingleLine = true, MaxLength = 255, Description = description })
            .Optional("stripeAccount", Account);
}
