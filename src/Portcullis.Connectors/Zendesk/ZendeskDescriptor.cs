namespace Portcullis.Connectors.Zendesk;

/// <summary>Zendesk Support: an agent's email and API token, on the account's subdomain.</summary>
internal static class ZendeskDescriptor
{
    public static readonly ConnectorDescriptor Descriptor = new()
    {
        Provider = ProviderNames.Zendesk,
        DisplayName = "Zendesk",
        SetupGuide = """
            In Zendesk Admin Center open Apps and integrations → APIs → Zendesk API, turn on token access
            and add an API token. Enter your subdomain (`acme` for acme.zendesk.com), the email of the agent
            the actions run as, and the token.
            """,
        CredentialFields =
        [
            new("subdomain", "Subdomain", Secret: false, Required: true),
            new("email", "Agent email", Secret: false, Required: true) { Check = CredentialFormats.Email },
            new("apiToken", "API token", Secret: true, Required: true, Hint: true),
        ],
        BaseUrl = "https://{subdomain}.zendesk.com",
        Actions = ZendeskActions.Actions,
        Connector = new ZendeskConnector(),
    };
}
