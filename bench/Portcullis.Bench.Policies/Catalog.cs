namespace Portcullis.Bench.Policies;

/// <summary>The vocabulary of the generated workload: action types, agents and value pools.</summary>
internal static class Catalog
{
    public static readonly string[] ActionTypes =
    [
        "refund.create", "charge.retrieve", "customer.retrieve", "email.send", "crm.create_record",
        "crm.update_record", "crm.get_record", "ticket.get", "ticket.update", "ticket.add_comment",
        "slack.post_message", "sms.send", "http.request", "invoice.void", "subscription.cancel",
        "user.delete", "file.upload", "calendar.create_event", "order.ship", "coupon.issue",
    ];

    public static readonly string[] Agents = ["agt_support", "agt_billing", "agt_sales", "agt_ops", "agt_triage", "agt_growth"];

    public static readonly string[] Currencies = ["usd", "eur", "gbp", "jpy", "cad"];

    public static readonly string[] Tiers = ["free", "pro", "business", "enterprise"];

    public static readonly string[] Reasons = ["requested_by_customer", "duplicate", "fraudulent", "other"];

    public static readonly string[] Tags = ["vip", "churn_risk", "new", "eu", "legal_hold", "partner", "trial"];

    public static readonly string[] Domains = ["example.com", "customer.io", "gmail.com", "competitor.com", "internal.test"];

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
