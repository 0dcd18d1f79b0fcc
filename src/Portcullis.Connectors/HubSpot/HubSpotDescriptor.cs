namespace Portcullis.Connectors.HubSpot;

/// <summary>HubSpot CRM: a private app token, or OAuth with refresh.</summary>
internal static class HubSpotDescriptor
{
    public static readonly OAuthSettings OAuth = new(
        new Uri("https://app.hubspot.com/oauth/authorize"),
        new Uri("https://api.hubapi.com/oauth/v1/token"),
        [
            "oauth",
            "crm.objects.contacts.read", "crm.objects.contacts.write",
            "crm.objects.companies.read", "crm.objects.companies.write",
            "crm.objects.deals.read", "crm.objects.deals.write",
            "tickets",
        ])
    {
        AppSection = "HubSpot",
    };

    public static readonly ConnectorDescriptor Descriptor = new()
    {
        Provider = ProviderNames.HubSpot,
        DisplayName = "HubSpot",
        SetupGuide = """
            Either press Connect with HubSpot (needs `Portcullis:OAuth:HubSpot:ClientId` and `ClientSecret` of a
            HubSpot public app whose redirect URI is `{your Portcullis URL}/api/credentials/oauth/callback`),
            or in HubSpot open Settings → Integrations → Private Apps, create an app with read and write scopes
            for contacts, companies, deals and tickets, and paste its access token (`pat-…`).
            """,
        CredentialFields = [new("accessToken", "Private app access token", Secret: true, Required: true, Hint: true)],
        OAuth = OAuth,
        BaseUrl = "https://api.hubapi.com",
        Actions = HubSpotActions.Actions,
        Connector = new HubSpotConnector(),
    };
}
