using Portcullis.Connectors;

namespace Portcullis.Server.Infrastructure;

/// <summary>
/// Reads <c>Portcullis:Connectors:{Provider}:BaseUrl</c> (and the OAuth endpoints) so tests and on-premise
/// set-ups can point each provider elsewhere; the defaults are the providers' real hosts.
/// </summary>
public static class ConnectorSettings
{
    public static ConnectorOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Portcullis:Connectors");
        var options = new ConnectorOptions();
        options.StripeBaseUrl = Uri(section, "Stripe:BaseUrl") ?? options.StripeBaseUrl;
        options.GmailBaseUrl = Uri(section, "Gmail:BaseUrl") ?? options.GmailBaseUrl;
        options.HubSpotBaseUrl = Uri(section, "HubSpot:BaseUrl") ?? options.HubSpotBaseUrl;
        options.ZendeskBaseUrlTemplate = section["Zendesk:BaseUrl"] ?? options.ZendeskBaseUrlTemplate;
        options.SlackBaseUrl = Uri(section, "Slack:BaseUrl") ?? options.SlackBaseUrl;
        options.TwilioBaseUrl = Uri(section, "Twilio:BaseUrl") ?? options.TwilioBaseUrl;
        options.GoogleAuthorizationEndpoint = Uri(section, "Gmail:AuthorizationEndpoint") ?? options.GoogleAuthorizationEndpoint;
        options.GoogleTokenEndpoint = Uri(section, "Gmail:TokenEndpoint") ?? options.GoogleTokenEndpoint;
        options.HubSpotAuthorizationEndpoint = Uri(section, "HubSpot:AuthorizationEndpoint") ?? options.HubSpotAuthorizationEndpoint;
        options.HubSpotTokenEndpoint = Uri(section, "HubSpot:TokenEndpoint") ?? options.HubSpotTokenEndpoint;
        if (section["TimeoutSeconds"] is { } timeout)
        {
            options.Timeout = TimeSpan.FromSeconds(double.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (section["RetryBaseDelayMs"] is { } delay)
        {
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(double.Parse(delay, System.Globalization.CultureInfo.InvariantCulture));
        }

        return options;
    }

    private static Uri? Uri(IConfigurationSection section, string key) =>
        section[key] is { Length: > 0 } value ? new Uri(value, UriKind.Absolute) : null;
}
