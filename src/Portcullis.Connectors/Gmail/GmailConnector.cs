using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Http;

namespace Portcullis.Connectors.Gmail;

/// <summary>
/// Gmail API <c>users.messages.send</c>: the whole message as base64url RFC 5322 in <c>raw</c>, OAuth
/// access token as Bearer. Sending is not idempotent, so it is never repeated once it may have arrived.
/// </summary>
internal sealed class GmailConnector : ProviderConnector
{
    public override string Provider => ProviderNames.Gmail;

    public override bool UsesOAuth(CredentialSecrets credential) => true;

    public override ProviderCall BuildCall(CallContext context)
    {
        if (context.Model is not EmailSend email)
        {
            throw new ArgumentException($"not a gmail action: {context.ActionType}", nameof(context));
        }

        var boundary = "portcullis-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var raw = Base64Url.EncodeToString(MimeMessageBuilder.Build(email, context.Now, boundary));
        var body = new JsonObject { ["raw"] = raw };
        if (email.ThreadId is not null)
        {
            body["threadId"] = email.ThreadId;
        }

        return new ProviderCall(HttpMethod.Post, Endpoint(context.Options.GmailBaseUrl, "/gmail/v1/users/me/messages/send"), RetryMode.NotIdempotent)
        {
            Authorization = ProviderCall.Bearer(Require(context.Credential, "accessToken")),
            Body = ProviderBody.Json(body),
        };
    }

    /// <summary>
    /// The send scope (the only one requested) may not read the mailbox profile, so Verify Connection asks
    /// Google's token-info endpoint what the token was granted. POST with the token in the Authorization
    /// header, as Google's own auth libraries do, keeps it out of URLs and access logs.
    /// </summary>
    public override ProviderCall BuildVerifyCall(CredentialSecrets credential, ConnectorOptions options) =>
        new(HttpMethod.Post, options.GoogleTokenInfoEndpoint, RetryMode.Idempotent)
        {
            Authorization = ProviderCall.Bearer(Require(credential, "accessToken")),
            Body = ProviderBody.Form([]),
        };

    public override ProviderFailure? VerifyFailure(ProviderResponse response) =>
        Failure(response) ?? (GmailScopes.MaySend(response.JsonString("scope"))
            ? null
            : new ProviderFailure("insufficient_scope", $"the token was not granted `{GmailScopes.Send}`; reconnect Gmail and allow sending mail", null));

    public override string VerifiedMessage(ProviderResponse response) =>
        response.JsonString("email") is { } address ? $"gmail accepted the token for {address}: it may send mail" : "gmail accepted the token: it may send mail";

    /// <summary>Google errors are <c>{"error": {"code", "message", "status", "errors": [{"reason"}]}}</c>.</summary>
    protected override ProviderFailure ParseError(ProviderResponse response)
    {
        string? reason = null;
        if (response.Json?.TryGetProperty("error", out var error) == true && error.ValueKind == System.Text.Json.JsonValueKind.Object
            && error.TryGetProperty("errors", out var errors) && errors.ValueKind == System.Text.Json.JsonValueKind.Array
            && errors.GetArrayLength() > 0 && errors[0].TryGetProperty("reason", out var r))
        {
            reason = r.GetString();
        }

        // The token-info endpoint answers in OAuth's shape instead: {"error": "invalid_token", "error_description"}.
        return Generic(response,
            reason ?? response.JsonString("error", "status") ?? response.JsonString("error"),
            response.JsonString("error", "message") ?? response.JsonString("error_description"),
            response.Header("X-Goog-Request-Id"));
    }

    public override JsonNode Demo(CallContext context, DemoIds ids)
    {
        var email = (EmailSend)context.Model;
        var id = "18" + ids.Hex("message", 14);
        return new JsonObject
        {
            ["id"] = id,
            ["threadId"] = email.ThreadId ?? id,
            ["labelIds"] = new JsonArray("SENT"),
        };
    }
}
