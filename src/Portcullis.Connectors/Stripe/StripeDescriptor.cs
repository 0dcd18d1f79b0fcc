namespace Portcullis.Connectors.Stripe;

/// <summary>Stripe: refunds and lookups with a restricted or secret API key.</summary>
internal static class StripeDescriptor
{
    public const string DefaultBaseUrl = "https://api.stripe.com";

    /// <summary>The API version the request and response shapes were checked against (pinned; configurable).</summary>
    public const string DefaultApiVersion = "2025-03-31.basil";

    public static readonly ConnectorDescriptor Descriptor = new()
    {
        Provider = ProviderNames.Stripe,
        DisplayName = "Stripe",
        SetupGuide = """
            In the Stripe Dashboard open Developers → API keys and create a restricted key.
            Give it write access to Refunds and read access to Charges and Customers (nothing else).
            Paste the key (`rk_live_…`, or `rk_test_…` while testing) as the secret API key.
            """,
        CredentialFields = [new("apiKey", "Secret API key", Secret: true, Required: true, Hint: true) { Check = CredentialFormats.StripeKey }],
        BaseUrl = DefaultBaseUrl,
        Actions = StripeActions.Actions,
        Connector = new StripeConnector(),
    };
}
