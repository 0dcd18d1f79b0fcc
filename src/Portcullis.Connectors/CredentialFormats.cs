using System.Text.RegularExpressions;
using Portcullis.Connectors.Gmail;

namespace Portcullis.Connectors;

/// <summary>
/// Shape checks of credential fields, run when a credential is connected so a typo (or a key of the wrong kind)
/// is a clear field error at once instead of a provider's 401 on the first action. Messages follow the
/// validation style: lowercase, no final period.
/// </summary>
public static partial class CredentialFormats
{
    /// <summary>Stripe: a secret (<c>sk_</c>) or restricted (<c>rk_</c>) key; a publishable key cannot refund.</summary>
    public static string? StripeKey(string key) =>
        key.StartsWith("sk_", StringComparison.Ordinal) || key.StartsWith("rk_", StringComparison.Ordinal) ? null
        : key.StartsWith("pk_", StringComparison.Ordinal) ? "is a publishable key (`pk_…`), which cannot call the API: paste a secret (`sk_…`) or restricted (`rk_…`) key"
        : "must be a Stripe secret key (`sk_…`) or restricted key (`rk_…`)";

    /// <summary>Twilio: the Account SID, <c>AC</c> and 32 hex digits.</summary>
    public static string? TwilioAccountSid(string sid) =>
        AccountSid().IsMatch(sid) ? null : "must be a Twilio Account SID (`AC` followed by 32 hex digits)";

    /// <summary>An agent's sign-in email.</summary>
    public static string? Email(string email) => EmailAddress.IsValid(email) ? null : "must be an email address";

    /// <summary>MQTT: an <c>mqtt://</c> or <c>mqtts://</c> URL naming a host (and optionally a port).</summary>
    public static string? MqttBrokerUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "mqtt" or "mqtts" && uri.Host.Length > 0
            && uri.AbsolutePath is "" or "/" && uri.Query.Length == 0 && uri.UserInfo.Length == 0
            ? null
            : "must be a broker URL such as `mqtts://broker.example.com:8883` or `mqtt://10.0.0.5:1883` (no path, no user in the URL)";

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSid();
}
