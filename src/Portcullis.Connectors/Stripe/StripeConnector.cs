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
        var (baseUrl, version) = (context.Options.StripeBaseUrl, context.Options.StripeApiVersion);
        return context.Model switch
        {
            RefundCreate refund => new ProviderCall(HttpMethod.Post, Endpoint(baseUrl, "/v1/refunds"), RetryMode.Idempotent)
            {
                Authorization = auth,
                // One action request = one key = at most one refund, however often it is sent.
                Headers = [new("Stripe-Version", version), new("Idempotency-Key", IdempotencyKey(context.ActionRequestId))],
                Body = ProviderBody.Form(RefundForm(refund)),
                RetryAdvice = RetryAdvice,
            },
            ChargeRetrieve charge => Get(baseUrl, $"/v1/charges/{Escape(charge.ChargeId)}", auth, version),
            CustomerRetrieve customer => Get(baseUrl, $"/v1/customers/{Escape(customer.CustomerId)}", auth, version),
            _ => throw new ArgumentException($"not a stripe action: {context.ActionType}", nameof(context)),
        };
    }

    public override ProviderCall BuildVerifyCall(CredentialSecrets credential, ConnectorOptions options) =>
        Get(options.StripeBaseUrl, "/v1/balance", ProviderCall.Bearer(Require(credential, "apiKey")), options.StripeApiVersion);

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

    private static ProviderCall Get(Uri baseUrl, string path, System.Net.Http.Headers.AuthenticationHeaderValue auth, string version) =>
        new(HttpMethod.Get, Endpoint(baseUrl, path), RetryMode.Idempotent)
        {
            Authorization = auth,
            Headers = [new("Stripe-Version", version)],
            RetryAdvice = RetryAdvice,
        };

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
