namespace Portcullis.Connectors.Tests.Infrastructure;

/// <summary>Credentials with valid defaults and distinctive secrets that leak tests can search for.</summary>
public static class Credentials
{
    public const string StripeKey = "sk_test_51HxLEAKCHECKstripeSecretKey4242";
    public const string GmailAccess = "ya29.LEAKCHECK-gmail-access-token-0001";
    public const string GmailRefresh = "1//LEAKCHECK-gmail-refresh-token-0001";
    public const string HubSpotAccess = "pat-na1-LEAKCHECK-hubspot-access-0001";
    public const string HubSpotRefresh = "na1-LEAKCHECK-hubspot-refresh-0001";
    public const string ZendeskToken = "LEAKCHECKzendeskApiToken0001abcdef";
    public const string SlackToken = "xoxb-LEAKCHECK_slack_bot_token_0000";
    public const string TwilioSid = "AC0123456789abcdef0123456789abcdef";
    public const string TwilioToken = "LEAKCHECKtwilioAuthToken000000001";
    public const string WebhookBearer = "LEAKCHECK-webhook-bearer-token-0001";
    public const string WebhookSigning = "whsec_LEAKCHECKwebhookSigningSecret01";

    public static CredentialSecrets Stripe() => Make("stripe", ("apiKey", StripeKey));

    public static CredentialSecrets Gmail(long expiresAt = 4102444800) =>
        Make("gmail", ("accessToken", GmailAccess), ("refreshToken", GmailRefresh), ("expiresAt", expiresAt.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static CredentialSecrets HubSpot(bool oauth = false) => oauth
        ? Make("hubspot", ("accessToken", HubSpotAccess), ("refreshToken", HubSpotRefresh), ("expiresAt", "4102444800"))
        : Make("hubspot", ("accessToken", HubSpotAccess));

    public static CredentialSecrets Zendesk(string subdomain = "acme") =>
        Make("zendesk", ("subdomain", subdomain), ("email", "agent@acme.example"), ("apiToken", ZendeskToken));

    public static CredentialSecrets Slack() => Make("slack", ("botToken", SlackToken));

    public static CredentialSecrets Twilio(bool withFrom = true) => withFrom
        ? Make("twilio", ("accountSid", TwilioSid), ("authToken", TwilioToken), ("fromNumber", "+15005550006"))
        : Make("twilio", ("accountSid", TwilioSid), ("authToken", TwilioToken));

    public static CredentialSecrets Webhook(Uri baseUrl, bool bearer = true, bool signing = true)
    {
        var values = new List<(string, string)> { ("baseUrl", baseUrl.AbsoluteUri) };
        if (bearer)
        {
            values.Add(("bearerToken", WebhookBearer));
        }

        if (signing)
        {
            values.Add(("signingSecret", WebhookSigning));
        }

        return Make("webhook", [.. values]);
    }

    public static CredentialSecrets Make(string provider, params (string Key, string Value)[] values) =>
        new($"cred_{provider}_test", provider, values.ToDictionary(v => v.Key, v => v.Value));
}
