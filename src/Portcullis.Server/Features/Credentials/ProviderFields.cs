namespace Portcullis.Server.Features.Credentials;

/// <summary>What each provider's credential holds, and which field the masked hint is taken from.</summary>
public static class ProviderFields
{
    public sealed record Spec(string[] Required, string[] Optional, string HintField, bool OAuth);

    public static readonly IReadOnlyDictionary<string, Spec> ByProvider = new Dictionary<string, Spec>(StringComparer.Ordinal)
    {
        ["stripe"] = new(["apiKey"], [], "apiKey", false),
        ["zendesk"] = new(["subdomain", "email", "apiToken"], [], "apiToken", false),
        ["hubspot"] = new(["accessToken"], [], "accessToken", true),
        ["slack"] = new(["botToken"], [], "botToken", false),
        ["twilio"] = new(["accountSid", "authToken", "fromNumber"], [], "authToken", false),
        ["webhook"] = new(["baseUrl"], ["bearerToken", "signingSecret"], "baseUrl", false),
        ["gmail"] = new([], [], "accessToken", true),
    };

    /// <summary>Providers connected only through OAuth (no secret form).</summary>
    public static bool OAuthOnly(string provider) => provider == "gmail";
}
