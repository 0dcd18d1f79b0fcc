namespace Portcullis.Connectors.Gmail;

/// <summary>Gmail: sends mail through Google OAuth (send scope only; Portcullis never reads mail).</summary>
internal static class GmailDescriptor
{
    public const string DefaultTokenInfoEndpoint = "https://oauth2.googleapis.com/tokeninfo";

    public static readonly OAuthSettings OAuth = new(
        new Uri("https://accounts.google.com/o/oauth2/v2/auth"),
        new Uri("https://oauth2.googleapis.com/token"),
        [GmailScopes.Send])
    {
        AppSection = "Google",
        // offline + consent: Google only issues a refresh token on a consent screen.
        AuthorizationParameters =
        [
            new("response_type", "code"), new("access_type", "offline"), new("prompt", "consent"), new("include_granted_scopes", "true"),
        ],
    };

    public static readonly ConnectorDescriptor Descriptor = new()
    {
        Provider = ProviderNames.Gmail,
        DisplayName = "Gmail",
        SetupGuide = """
            In Google Cloud Console create an OAuth client (type: web application) with the redirect URI
            `{your Portcullis URL}/api/credentials/oauth/callback`, and enable the Gmail API.
            Set `Portcullis:OAuth:Google:ClientId` and `ClientSecret`, then press Connect with Gmail and sign in
            as the mailbox the agent sends from. Only the send scope is requested.
            """,
        CredentialFields = [new("accessToken", "Access token", Secret: true, Required: true, Hint: true)],
        OAuth = OAuth,
        OAuthOnly = true,
        BaseUrl = "https://gmail.googleapis.com",
        Actions = GmailActions.Actions,
        Connector = new GmailConnector(),
    };
}
