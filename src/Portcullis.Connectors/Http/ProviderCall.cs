using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Connectors.Http;

/// <summary>Whether a call may be sent again after it may have reached the provider.</summary>
internal enum RetryMode
{
    /// <summary>Safe (GET), idempotent by HTTP semantics (PUT without side effects), or carrying an idempotency key.</summary>
    Idempotent,

    /// <summary>Sending twice could act twice (send two emails): retried only when it provably never arrived.</summary>
    NotIdempotent,
}

/// <summary>An encoded request body, kept as bytes so every attempt (and a signature) sees the same content.</summary>
internal sealed record ProviderBody(byte[] Bytes, string MediaType)
{
    public static ProviderBody Json(JsonNode node) =>
        new(Encoding.UTF8.GetBytes(node.ToJsonString()), "application/json");

    public static ProviderBody Json(JsonElement element) =>
        new(Encoding.UTF8.GetBytes(element.GetRawText()), "application/json");

    /// <summary>application/x-www-form-urlencoded, as Stripe and Twilio expect.</summary>
    public static ProviderBody Form(IEnumerable<KeyValuePair<string, string>> fields) =>
        new(Encoding.ASCII.GetBytes(string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"))),
            "application/x-www-form-urlencoded");
}

/// <summary>One HTTP call to a provider, described fully before anything is sent.</summary>
internal sealed record ProviderCall(HttpMethod Method, Uri Url, RetryMode Retry)
{
    public AuthenticationHeaderValue? Authorization { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public ProviderBody? Body { get; init; }

    /// <summary>
    /// The provider's own word on retrying an answer (Stripe's <c>Stripe-Should-Retry</c>): true or false
    /// overrides the generic rule, null leaves it to <see cref="ProviderHttp.ShouldRetry(Polly.Outcome{ProviderResponse}, RetryMode)"/>.
    /// </summary>
    public Func<ProviderResponse, bool?>? RetryAdvice { get; init; }

    /// <summary>
    /// SECURITY: the URL came from a credential or an agent, not from the operator's configuration, so it goes out through
    /// the client whose connections the outbound guard checks.
    /// </summary>
    public bool SuppliedTarget { get; init; }

    /// <summary>Builds a fresh message; a sent HttpRequestMessage cannot be sent again.</summary>
    public HttpRequestMessage CreateMessage()
    {
        var message = new HttpRequestMessage(Method, Url);
        message.Headers.Authorization = Authorization;
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body.Bytes);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(Body.MediaType) { CharSet = Body.MediaType == "application/json" ? "utf-8" : null };
        }

        return message;
    }

    /// <summary>Secrets carried by this call (the credential in the Authorization header), for redaction.</summary>
    public IEnumerable<string> Secrets()
    {
        if (Authorization?.Parameter is { Length: > 0 } parameter)
        {
            yield return parameter;
        }
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
