using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Http;

namespace Portcullis.Connectors.Webhook;

/// <summary>
/// Generic HTTP webhook: the payload's path appended to the credential's <c>baseUrl</c>, optional Bearer
/// token, optional HMAC signature. POST and PATCH are not retried once they may have arrived; every request
/// carries an Idempotency-Key so receivers can de-duplicate anyway.
/// </summary>
internal sealed class WebhookConnector : ProviderConnector
{
    public override string Provider => ProviderNames.Webhook;

    public override ProviderCall BuildCall(CallContext context)
    {
        if (context.Model is not HttpRequestAction action)
        {
            throw new ArgumentException($"not a webhook action: {context.ActionType}", nameof(context));
        }

        var baseUrl = BaseUrl(context.Credential);
        var url = Target(baseUrl, action.Path);
        var body = action.Body is { } json ? ProviderBody.Json(json) : null;
        var headers = action.Headers.ToList();
        headers.Add(new("Idempotency-Key", IdempotencyKey(context.ActionRequestId)));
        if (context.Credential.Get("signingSecret") is { } secret)
        {
            headers.Add(new(WebhookSignature.HeaderName,
                WebhookSignature.Header(secret, context.Now.ToUnixTimeSeconds(), action.Method, url.PathAndQuery, body?.Bytes ?? [])));
        }

        var idempotent = action.Method is "GET" or "PUT" or "DELETE";
        return new ProviderCall(new HttpMethod(action.Method), url, idempotent ? RetryMode.Idempotent : RetryMode.NotIdempotent)
        {
            Authorization = context.Credential.Get("bearerToken") is { } token ? ProviderCall.Bearer(token) : null,
            Headers = headers,
            Body = body,
            SuppliedTarget = true,
        };
    }

    public override ProviderCall BuildVerifyCall(CredentialSecrets credential, ConnectorOptions options) =>
        new(HttpMethod.Head, BaseUrl(credential), RetryMode.Idempotent)
        {
            Authorization = credential.Get("bearerToken") is { } token ? ProviderCall.Bearer(token) : null,
            SuppliedTarget = true,
        };

    // Any answer short of an auth refusal or a server error shows the endpoint is there and reachable;
    // many webhook receivers answer 404 or 405 to HEAD on their base path.
    public override ProviderFailure? VerifyFailure(ProviderResponse response) => response.Status switch
    {
        401 or 403 => new ProviderFailure($"http_{response.Status}", "the webhook endpoint refused the credentials", null),
        >= 500 => new ProviderFailure($"http_{response.Status}", "the webhook endpoint answered with a server error", null),
        _ => null,
    };

    public override string VerifiedMessage(ProviderResponse response) => $"the webhook endpoint is reachable (HEAD answered {response.Status})";

    public override JsonElement? SuccessPayload(ProviderResponse response) => JsonSerializer.SerializeToElement(Shape(response));

    protected override ProviderFailure ParseError(ProviderResponse response) =>
        Generic(response, null, response.JsonString("message") ?? response.JsonString("error"), response.Header("X-Request-Id"));

    public override JsonNode Demo(CallContext context, DemoIds ids) => new JsonObject
    {
        ["status"] = 200,
        ["body"] = new JsonObject { ["received"] = true, ["id"] = "evt_" + ids.Alnum("event", 20) },
    };

    private static JsonObject Shape(ProviderResponse response)
    {
        var shaped = new JsonObject { ["status"] = response.Status };
        if (response.Json is { } json)
        {
            shaped["body"] = JsonNode.Parse(json.GetRawText());
        }
        else if (response.Text is { } text)
        {
            shaped["body"] = text;
        }

        return shaped;
    }

    private static Uri BaseUrl(CredentialSecrets credential)
    {
        var text = Require(credential, "baseUrl");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            throw new CredentialFieldException("the webhook credential's `baseUrl` must be an http(s) url without credentials, query or fragment");
        }

        return url;
    }

    /// <summary>
    /// SECURITY: the final URL must stay on the credential's scheme, host, port and base path, whatever the
    /// agent put in the payload (validated already; checked again here on the real URL).
    /// </summary>
    internal static Uri Target(Uri baseUrl, string path)
    {
        if (WebhookActions.PathProblem(path) is not null
            || !Uri.TryCreate(baseUrl.AbsoluteUri.TrimEnd('/') + path, UriKind.Absolute, out var url)
            || url.Scheme != baseUrl.Scheme || url.IdnHost != baseUrl.IdnHost || url.Port != baseUrl.Port
            || !url.AbsolutePath.StartsWith(baseUrl.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal))
        {
            throw new CredentialFieldException("the payload `path` does not stay under the webhook's base url");
        }

        return url;
    }
}
