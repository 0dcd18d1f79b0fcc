using System.Globalization;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Http;

namespace Portcullis.Connectors.Stripe;

/// <summary>
/// Stripe REST API: form-encoded bodies, the secret key as a Bearer token, and an Idempotency-Key on every
/// refund so a retry (or a re-run after a crash) can never refund twice.
/// </summary>
internal sealed class StripeConnector : ProviderConnector
{
    public override string Provider => ProviderNames.Stripe;

    public override ProviderCall BuildCall(CallContext context)
    {
        var auth = ProviderCall.Bearer(Require(context.Credential, "apiKey"));
        var baseUrl = context.Options.StripeBaseUrl;
        var headers = Headers(context.Options.StripeApiVersion, (context.Model as IStripeAction)?.StripeAccount);
        return context.Model switch
        {
            RefundCreate refund => new ProviderCall(HttpMethod.Post, Endpoint(baseUrl, "/v1/refunds"), RetryMode.Idempotent)
            {
                Authorization = auth,
                // One action request = one key = at most one refund, however often it is sent.
                Headers = [.. headers, new("Idempotency-Key", IdempotencyKey(context.ActionRequestId))],
                Body = ProviderBody.Form(RefundForm(refund)),
                RetryAdvice = RetryAdvice,
            },
            RefundRetrieve refund => Get(baseUrl, $"/v1/refunds/{Escape(refund.RefundId)}", auth, headers),
            RefundList list => Get(baseUrl, "/v1/refunds" + ListQuery(list), auth, headers),
            ChargeRetrieve charge => Get(baseUrl, $"/v1/charges/{Escape(charge.ChargeId)}", auth, headers),
            CustomerRetrieve customer => Get(baseUrl, $"/v1/customers/{Escape(customer.CustomerId)}", auth, headers),
            _ => throw new ArgumentException($"not a stripe action: {context.ActionType}", nameof(context)),
        };
    }

    public override ProviderCall BuildVerifyCall(CredentialSecrets credential, ConnectorOptions options) =>
        Get(options.StripeBaseUrl, "/v1/balance", ProviderCall.Bearer(Require(credential, "apiKey")), Headers(options.StripeApiVersion, null));

    /// <summary>
    /// As Stripe's own SDKs: <c>Stripe-Should-Retry</c> decides when present; otherwise a 409 (another request
    /// with the same idempotency key still holds its lock) is worth another try once that one finishes.
    /// </summary>
    internal static bool? RetryAdvice(ProviderResponse response) => response.Header("Stripe-Should-Retry") switch
    {
        "true" => true,
        "false" => false,
        _ when response.Status == 409 => true,
        _ => null,
    };

    public override string VerifiedMessage(ProviderResponse response) =>
        response.Json?.TryGetProperty("livemode", out var live) == true && live.ValueKind == System.Text.Json.JsonValueKind.True
            ? "stripe accepted the api key (live mode)"
            : "stripe accepted the api key (test mode)";

    /// <summary>Stripe errors are <c>{"error": {"type", "code", "message", "param"}}</c>; the id is in Request-Id.</summary>
    protected override ProviderFailure ParseError(ProviderResponse response) =>
        Generic(response,
            response.JsonString("error", "code") ?? response.JsonString("error", "type"),
            response.JsonString("error", "message"),
            response.Header("Request-Id"));

    public override JsonNode Demo(CallContext context, DemoIds ids) => StripeDemo.Answer(context, ids);

    private static ProviderCall Get(Uri baseUrl, string pathAndQuery, System.Net.Http.Headers.AuthenticationHeaderValue auth, List<KeyValuePair<string, string>> headers) =>
        new(HttpMethod.Get, Endpoint(baseUrl, pathAndQuery), RetryMode.Idempotent)
        {
            Authorization = auth,
            Headers = headers,
            RetryAdvice = RetryAdvice,
        };

    private static List<KeyValuePair<string, string>> Headers(string version, string? stripeAccount) =>
        stripeAccount is null
            ? [new("Stripe-Version", version)]
            : [new("Stripe-Version", version), new("Stripe-Account", stripeAccount)];

    /// <summary>Stripe's list parameters ride in the query string of the GET.</summary>
    private static string ListQuery(RefundList list)
    {
        var query = new List<KeyValuePair<string, string>>();
        Add(query, "charge", list.Charge);
        Add(query, "payment_intent", list.PaymentIntent);
        Add(query, "limit", list.Limit?.ToString(CultureInfo.InvariantCulture));
        Add(query, "starting_after", list.StartingAfter);
        return "?" + string.Join('&', query.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}"));
    }

    private static List<KeyValuePair<string, string>> RefundForm(RefundCreate refund)
    {
        var form = new List<KeyValuePair<string, string>>();
        Add(form, "charge", refund.Charge);
        Add(form, "payment_intent", refund.PaymentIntent);
        Add(form, "amount", refund.Amount?.ToString(CultureInfo.InvariantCulture));
        Add(form, "reason", refund.Reason);
        foreach (var (key, value) in refund.Metadata)
        {
            // Stripe's nested form syntax: metadata[order_id]=123.
            form.Add(new($"metadata[{key}]", value));
        }

        return form;
    }

    private static void Add(List<KeyValuePair<string, string>> form, string name, string? value)
    {
        if (value is not null)
        {
            form.Add(new(name, value));
        }
    }
}
