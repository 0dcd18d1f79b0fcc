namespace Portcullis.Connectors.Twilio;

/// <summary>Twilio Programmable Messaging: account SID, auth token and a sending number.</summary>
internal static class TwilioDescriptor
{
    public static readonly ConnectorDescriptor Descriptor = new()
    {
        Provider = ProviderNames.Twilio,
        DisplayName = "Twilio",
        SetupGuide = """
            In the Twilio Console copy the Account SID (`AC…`) and Auth Token from the account dashboard,
            and a phone number of the account that can send SMS, in e.164 form (`+14155550123`).
            """,
        CredentialFields =
        [
            new("accountSid", "Account SID", Secret: false, Required: true) { Check = CredentialFormats.TwilioAccountSid },
            new("authToken", "Auth token", Secret: true, Required: true, Hint: true),
            new("fromNumber", "From number", Secret: false, Required: true),
        ],
        BaseUrl = "https://api.twilio.com",
        Actions = TwilioActions.Actions,
        Connector = new TwilioConnector(),
    };
}
