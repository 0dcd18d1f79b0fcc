using System.Globalization;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;
using Portcullis.Connectors.Http;

namespace Portcullis.Connectors.Twilio;

/// <summary>
/// Twilio Programmable Messaging: form-encoded <c>To</c>, <c>From</c>, <c>Body</c> posted to the account's
/// Messages resource with basic auth (Account SID : Auth Token). Sending is not idempotent.
/// </summary>
internal sealed class TwilioConnector : ProviderConnector
{
    public override string Provider => ProviderNames.Twilio;

    public override ProviderCall BuildCall(CallContext context)
    {
        if (context.Model is not SmsSend sms)
        {
            throw new ArgumentException($"not a twilio action: {context.ActionType}", nameof(context));
        }

        var sid = AccountSid(context.Credential);
        return new ProviderCall(HttpMethod.Post, Endpoint(context.Options.TwilioBaseUrl, $"/2010-04-01/Accounts/{sid}/Messages.json"), RetryMode.NotIdempotent)
        {
            Authorization = Auth(context.Credential),
            Body = ProviderBody.Form(Form(sms, context.Credential)),
        };
    }

    /// <summary>To, then the sender (a Messaging Service or a number), Body, and one MediaUrl per media item.</summary>
    private static List<KeyValuePair<string, string>> Form(SmsSend sms, CredentialSecrets credential)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", sms.To) };
        if (sms.MessagingServiceSid is { } service)
        {
            form.Add(new("MessagingServiceSid", service));
        }
        else
        {
            form.Add(new("From", sms.From ?? credential.Get("fromNumber")
                ?? throw new CredentialFieldException("the payload has no `from` and the twilio credential has no `fromNumber`")));
        }

        form.Add(new("Body", sms.Body));
        form.AddRange(sms.MediaUrls.Select(url => new KeyValuePair<string, string>("MediaUrl", url)));
        return form;
    }

    public override ProviderCall BuildVerifyCall(CredentialSecrets credential, ConnectorOptions options) =>
        new(HttpMethod.Get, Endpoint(options.TwilioBaseUrl, $"/2010-04-01/Accounts/{AccountSid(credential)}.json"), RetryMode.Idempotent)
        {
            Authorization = Auth(credential),
        };

    public override string VerifiedMessage(ProviderResponse response) =>
        $"twilio accepted the credentials for {response.JsonString("friendly_name") ?? "the account"} (status {response.JsonString("status") ?? "unknown"})";

    /// <summary>Twilio errors are <c>{"code": 21211, "message", "more_info", "status"}</c>.</summary>
    protected override ProviderFailure ParseError(ProviderResponse response) =>
        Generic(response, response.JsonString("code"), response.JsonString("message"), response.Header("Twilio-Request-Id"));

    public override JsonNode Demo(CallContext context, DemoIds ids)
    {
        var sms = (SmsSend)context.Model;
        var sid = "SM" + ids.Hex("message", 32);
        var account = context.Credential.Get("accountSid") ?? "AC" + ids.Hex("account", 32);
        var date = context.Now.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["sid"] = sid,
            ["account_sid"] = account,
            ["api_version"] = "2010-04-01",
            ["body"] = sms.Body,
            ["date_created"] = date,
            ["date_updated"] = date,
            ["date_sent"] = null,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            // A Messaging Service picks its sender only when sending, so the queued message has no from yet.
            ["from"] = sms.MessagingServiceSid is null ? sms.From ?? context.Credential.Get("fromNumber") ?? "+15005550006" : null,
            ["messaging_service_sid"] = sms.MessagingServiceSid,
            ["num_media"] = sms.MediaUrls.Count.ToString(CultureInfo.InvariantCulture),
            ["num_segments"] = Segments(sms.Body).ToString(CultureInfo.InvariantCulture),
            ["price"] = null,
            ["price_unit"] = "USD",
            ["status"] = "queued",
            ["to"] = sms.To,
            ["uri"] = $"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
        };
    }

    // GSM-7 sizes: 160 characters in one segment, 153 per segment once concatenated.
    private static int Segments(string body) => body.Length <= 160 ? 1 : (body.Length + 152) / 153;

    private static string AccountSid(CredentialSecrets credential)
    {
        var sid = Require(credential, "accountSid");
        // The SID is a path segment; Twilio SIDs are "AC" plus 32 hex digits, nothing else may pass.
        if (!TwilioActions.IsSid(sid, "AC"))
        {
            throw new CredentialFieldException("the twilio credential's `accountSid` must be `AC` followed by 32 hex digits");
        }

        return sid;
    }

    private static System.Net.Http.Headers.AuthenticationHeaderValue Auth(CredentialSecrets credential) =>
        ProviderCall.Basic(AccountSid(credential), Require(credential, "authToken"));
}
