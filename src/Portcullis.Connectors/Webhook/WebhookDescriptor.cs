namespace Portcullis.Connectors.Webhook;

/// <summary>A generic HTTP webhook: any endpoint of yours, optionally with a Bearer token and an HMAC signature.</summary>
internal static class WebhookDescriptor
{
    public static readonly ConnectorDescriptor Descriptor = new()
    {
        Provider = ProviderNames.Webhook,
        DisplayName = "HTTP webhook",
        SetupGuide = """
            Enter the base URL of your endpoint (`https://hooks.example.com/portcullis`); action paths are
            appended to it. Add a bearer token if the endpoint expects one, and a signing secret to have every
            request signed (header `X-Portcullis-Signature`, HMAC-SHA256; docs/connectors.md shows how to check it).
            """,
        CredentialFields =
        [
            new("baseUrl", "Base URL", Secret: false, Required: true, Hint: true, Url: true),
            new("bearerToken", "Bearer token (optional)", Secret: true, Required: false),
            new("signingSecret", "Signing secret (optional)", Secret: true, Required: false),
        ],
        Actions = WebhookActions.Actions,
        Connector = new WebhookConnector(),
    };
}
