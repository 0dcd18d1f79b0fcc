using System.Globalization;
using Portcullis.Connectors;

namespace Portcullis.Server.Infrastructure;

/// <summary>
/// Reads <c>Portcullis:Connectors:{Provider}:BaseUrl</c> (and <c>AuthorizationEndpoint</c>, <c>TokenEndpoint</c>
/// for OAuth providers, Stripe's <c>ApiVersion</c>, Gmail's <c>TokenInfoEndpoint</c>) for every provider in <see cref="ConnectorCatalog.All"/>, so tests and on-premise set-ups
/// can point each provider elsewhere; the defaults are the descriptors' (the providers' real hosts).
/// </summary>
public static class ConnectorSettings
{
    public static ConnectorOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Portcullis:Connectors");
        var options = new ConnectorOptions();
        foreach (var descriptor in ConnectorCatalog.All)
        {
            var provider = section.GetSection(descriptor.Provider);
            if (descriptor.BaseUrl is not null && provider["BaseUrl"] is { Length: > 0 } baseUrl)
            {
                // A template (Zendesk's {subdomain}) is only a URL once the credential fills it in.
                options.BaseUrls[descriptor.Provider] = baseUrl.Contains('{', StringComparison.Ordinal) ? baseUrl : Absolute(baseUrl).AbsoluteUri;
            }

            if (descriptor.OAuth is { } oauth)
            {
                options.OAuth[descriptor.Provider] = oauth with
                {
                    AuthorizationEndpoint = Uri(provider, "AuthorizationEndpoint") ?? oauth.AuthorizationEndpoint,
                    TokenEndpoint = Uri(provider, "TokenEndpoint") ?? oauth.TokenEndpoint,
                };
            }
        }

        if (section["stripe:ApiVersion"] is { Length: > 0 } stripeVersion)
        {
            options.StripeApiVersion = stripeVersion;
        }

        if (Uri(section.GetSection("gmail"), "TokenInfoEndpoint") is { } tokenInfo)
        {
            options.GoogleTokenInfoEndpoint = tokenInfo;
        }

        if (section["TimeoutSeconds"] is { } timeout)
        {
            options.Timeout = TimeSpan.FromSeconds(double.Parse(timeout, CultureInfo.InvariantCulture));
        }

        if (section["RatePerSecondPerCredential"] is { } rate)
        {
            options.RatePerSecondPerCredential = int.Parse(rate, CultureInfo.InvariantCulture);
        }

        if (section["RetryBaseDelayMs"] is { } delay)
        {
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(double.Parse(delay, CultureInfo.InvariantCulture));
        }

        return options;
    }

    private static Uri? Uri(IConfigurationSection section, string key) =>
        section[key] is { Length: > 0 } value ? Absolute(value) : null;

    private static Uri Absolute(string value) => new(value, UriKind.Absolute);
}
