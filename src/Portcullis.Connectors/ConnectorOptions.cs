namespace Portcullis.Connectors;

/// <summary>
/// Where each provider lives and how hard to try. Holds no secrets. Base URLs are configurable so tests
/// and proxies can stand in for the real APIs.
/// </summary>
public sealed class ConnectorOptions
{
    /// <summary>
    /// API roots by provider, overriding the descriptors' defaults (configuration
    /// <c>Portcullis:Connectors:{Provider}:BaseUrl</c>). Zendesk's holds a <c>{subdomain}</c> placeholder.
    /// </summary>
    public IDictionary<string, string> BaseUrls { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>OAuth endpoints and scopes by provider, overriding the descriptors' defaults.</summary>
    public IDictionary<string, OAuthSettings> OAuth { get; } = new Dictionary<string, OAuthSettings>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Stripe API root.</summary>
    public Uri StripeBaseUrl { get => new(BaseUrlOf(ProviderNames.Stripe)); set => BaseUrls[ProviderNames.Stripe] = value.AbsoluteUri; }

    /// <summary>Gmail API root.</summary>
    public Uri GmailBaseUrl { get => new(BaseUrlOf(ProviderNames.Gmail)); set => BaseUrls[ProviderNames.Gmail] = value.AbsoluteUri; }

    /// <summary>HubSpot API root.</summary>
    public Uri HubSpotBaseUrl { get => new(BaseUrlOf(ProviderNames.HubSpot)); set => BaseUrls[ProviderNames.HubSpot] = value.AbsoluteUri; }

    /// <summary>Zendesk API root; <c>{subdomain}</c> is replaced by the credential's subdomain.</summary>
    public string ZendeskBaseUrlTemplate { get => BaseUrlOf(ProviderNames.Zendesk); set => BaseUrls[ProviderNames.Zendesk] = value; }

    /// <summary>Slack Web API root.</summary>
    public Uri SlackBaseUrl { get => new(BaseUrlOf(ProviderNames.Slack)); set => BaseUrls[ProviderNames.Slack] = value.AbsoluteUri; }

    /// <summary>Twilio REST API root.</summary>
    public Uri TwilioBaseUrl { get => new(BaseUrlOf(ProviderNames.Twilio)); set => BaseUrls[ProviderNames.Twilio] = value.AbsoluteUri; }

    /// <summary>Google OAuth 2.0 token endpoint.</summary>
    public Uri GoogleTokenEndpoint
    {
        get => OAuthOf(ProviderNames.Gmail).TokenEndpoint;
        set => OAuth[ProviderNames.Gmail] = OAuthOf(ProviderNames.Gmail) with { TokenEndpoint = value };
    }

    /// <summary>HubSpot OAuth token endpoint.</summary>
    public Uri HubSpotTokenEndpoint
    {
        get => OAuthOf(ProviderNames.HubSpot).TokenEndpoint;
        set => OAuth[ProviderNames.HubSpot] = OAuthOf(ProviderNames.HubSpot) with { TokenEndpoint = value };
    }

    /// <summary>
    /// The <c>Stripe-Version</c> sent with every Stripe call, so an account upgrade in the Stripe Dashboard
    /// never changes the shapes Portcullis sends and reads (<c>Portcullis:Connectors:stripe:ApiVersion</c>).
    /// </summary>
    public string StripeApiVersion { get; set; } = Stripe.StripeDescriptor.DefaultApiVersion;

    /// <summary>Google's token-info endpoint, which Gmail's Verify Connection asks for the token's granted scopes.</summary>
    public Uri GoogleTokenInfoEndpoint { get; set; } = new(Gmail.GmailDescriptor.DefaultTokenInfoEndpoint);

    /// <summary>
    /// Checks the hosts of credential-supplied targets that are not reached over HTTP (MQTT brokers) at every connection;
    /// null connects unchecked (a library user without a guard). The server always sets it.
    /// </summary>
    public Security.OutboundGuard? Guard { get; set; }

    /// <summary>Time-out of one HTTP attempt, response body included. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP attempts per call, first one included. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Base of the exponential back-off between attempts (jittered). Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait a provider's <c>Retry-After</c> can impose; longer asks are capped. Default 20 s.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Requests per second allowed per credential (token bucket, burst of the same size). Default 10.</summary>
    public int RatePerSecondPerCredential { get; set; } = 10;

    /// <summary>How long a call waits for the credential's rate limit before failing. Default 2 s.</summary>
    public TimeSpan RateLimitMaxWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>An OAuth access token expiring within this window is refreshed before use. Default 60 s.</summary>
    public TimeSpan TokenRefreshSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest provider response body read; larger answers fail as invalid. Default 1 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>The API root of a provider: the configured one, else its descriptor's.</summary>
    /// <exception cref="ArgumentException">The provider has no base URL option (webhook: the credential has it).</exception>
    public string BaseUrlOf(string provider) =>
        BaseUrls.TryGetValue(provider, out var configured) ? configured
        : ConnectorCatalog.Find(provider)?.BaseUrl ?? throw new ArgumentException($"`{provider}` has no base url option", nameof(provider));

    /// <summary>The OAuth endpoints and scopes of a provider: the configured ones, else its descriptor's.</summary>
    /// <exception cref="ArgumentException">The provider does not connect through OAuth.</exception>
    public OAuthSettings OAuthOf(string provider) =>
        OAuth.TryGetValue(provider, out var configured) ? configured
        : ConnectorCatalog.Find(provider)?.OAuth ?? throw new ArgumentException($"`{provider}` does not connect through oauth", nameof(provider));

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "must be at least 1");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "must be positive");
        }

        if (RatePerSecondPerCredential < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RatePerSecondPerCredential), RatePerSecondPerCredential, "must be at least 1");
        }

        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero || RateLimitMaxWait < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBaseDelay), "delays must not be negative");
        }

        if (string.IsNullOrWhiteSpace(StripeApiVersion) || StripeApiVersion.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("must be a Stripe API version such as `2025-03-31.basil`", nameof(StripeApiVersion));
        }

        if (MaxResponseBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, "must be at least 1024");
        }
    }
}
