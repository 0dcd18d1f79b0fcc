using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;

namespace Portcullis.Connectors.Stripe;

/// <summary>Simulated Stripe objects shaped like the real refund, charge and customer objects.</summary>
internal static class StripeDemo
{
    public static JsonNode Answer(CallContext context, DemoIds ids)
    {
        var created = context.Now.ToUnixTimeSeconds();
        return context.Model switch
        {
            RefundCreate refund => Refund(refund, ids, created),
            RefundRetrieve refund => Refund(new RefundCreate(null, null, null, "requested_by_customer", new Dictionary<string, string>(), null), ids, created)
                .With("id", refund.RefundId),
            RefundList list => RefundPage(list, ids, created),
            ChargeRetrieve charge => Charge(charge.ChargeId, ids, created),
            CustomerRetrieve customer => Customer(customer.CustomerId, ids, created),
            _ => throw new ArgumentException("not a stripe action", nameof(context)),
        };
    }

    private static JsonObject Refund(RefundCreate refund, DemoIds ids, long created)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in refund.Metadata)
        {
            metadata[key] = value;
        }

        return new JsonObject
        {
            ["id"] = "re_" + ids.Alnum("refund", 24),
            ["object"] = "refund",
            ["amount"] = refund.Amount ?? ids.Number("amount", 500, 25_000),
            ["balance_transaction"] = "txn_" + ids.Alnum("txn", 24),
            ["charge"] = refund.Charge ?? "ch_" + ids.Alnum("charge", 24),
            ["created"] = created,
            ["currency"] = "usd",
            ["destination_details"] = new JsonObject { ["type"] = "card", ["card"] = new JsonObject { ["type"] = "refund" } },
            ["metadata"] = metadata,
            ["payment_intent"] = refund.PaymentIntent ?? "pi_" + ids.Alnum("pi", 24),
            ["reason"] = refund.Reason,
            ["receipt_number"] = null,
            ["source_transfer_reversal"] = null,
            ["status"] = "succeeded",
            ["transfer_reversal"] = null,
        };
    }

    /// <summary>A Stripe list object: one or two refunds of the requested charge or payment intent, no further page.</summary>
    private static JsonObject RefundPage(RefundList list, DemoIds ids, long created)
    {
        var count = Math.Min(list.Limit ?? 10, ids.Number("count", 1, 2));
        var data = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var amount = ids.Number("amount" + i, 500, 25_000);
            var refund = Refund(new RefundCreate(list.Charge, list.PaymentIntent, amount, "requested_by_customer", new Dictionary<string, string>(), null), ids, created - (i * 3_600));
            data.Add(refund.With("id", "re_" + ids.Alnum("refund" + i, 24)));
        }

        return new JsonObject { ["object"] = "list", ["data"] = data, ["has_more"] = false, ["url"] = "/v1/refunds" };
    }

    private static JsonObject With(this JsonObject node, string name, string value)
    {
        node[name] = value;
        return node;
    }

    private static JsonObject Charge(string chargeId, DemoIds ids, long created)
    {
        var amount = ids.Number("amount", 500, 25_000);
        return new JsonObject
        {
            ["id"] = chargeId,
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = amount,
            ["amount_refunded"] = 0,
            ["balance_transaction"] = "txn_" + ids.Alnum("txn", 24),
            ["captured"] = true,
            ["created"] = created - ids.Number("age", 3_600, 30 * 86_400),
            ["currency"] = "usd",
            ["customer"] = "cus_" + ids.Alnum("customer", 14),
            ["description"] = "Demo order #" + ids.Digits("order", 5),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["paid"] = true,
            ["payment_intent"] = "pi_" + ids.Alnum("pi", 24),
            ["payment_method_details"] = new JsonObject
            {
                ["type"] = "card",
                ["card"] = new JsonObject { ["brand"] = "visa", ["last4"] = "4242", ["exp_month"] = 12, ["exp_year"] = 2030 },
            },
            ["refunded"] = false,
            ["status"] = "succeeded",
        };
    }

    private static JsonObject Customer(string customerId, DemoIds ids, long created)
    {
        var handle = "customer." + ids.Hex("email", 6);
        return new JsonObject
        {
            ["id"] = customerId,
            ["object"] = "customer",
            ["balance"] = 0,
            ["created"] = created - ids.Number("age", 86_400, 365 * 86_400),
            ["currency"] = "usd",
            ["delinquent"] = false,
            ["description"] = null,
            ["email"] = handle + "@example.com",
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["name"] = "Demo Customer " + ids.Digits("name", 3),
            ["phone"] = null,
        };
    }
}
