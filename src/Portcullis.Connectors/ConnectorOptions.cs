namespace Portcullis.Connectors;

/// <summary>
/// Where each provider lives and how hard to try. Holds no secrets. Base URLs are configurable so tests
/// and proxies can stand in for the real APIs.
/// </summary>
public sealed class ConnectorOptions
{
    /// <summary>Stripe API root.</summary>
    public Uri StripeBaseUrl { get; set; } = new("https://api.stripe.com");

    /// <summary>Gmail API root.</summary>
    public Uri GmailBaseUrl { get; set; } = new("https://gmail.googleapis.com");

    /// <summary>HubSpot API root.</summary>
    public Uri HubSpotBaseUrl { get; set; } = new("https://api.hubapi.com");

    /// <summary>Zendesk API root; <c>{subdomain}</c> is replaced by the credential's subdomain.</summary>
    public string ZendeskBaseUrlTemplate { get; set; } = "https://{subdomain}.zendesk.com";

    /// <summary>Slack Web API root.</summary>
    public Uri SlackBaseUrl { get; set; } = new("https://slack.com");

    /// <summary>Twilio REST API root.</summary>
    public Uri TwilioBaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>Google OAuth 2.0 authorization endpoint.</summary>
    public Uri GoogleAuthorizationEndpoint { get; set; } = new("https://accounts.google.com/o/oauth2/v2/auth");

    /// <summary>Google OAuth 2.0 token endpoint.</summary>
    public Uri GoogleTokenEndpoint { get; set; } = new("https://oauth2.googleapis.com/token");

    /// <summary>Scopes requested from Google (sending only: Portcullis never reads mail).</summary>
    public IList<string> GmailScopes { get; set; } = ["https://www.googleapis.com/auth/gmail.send"];

    /// <summary>HubSpot OAuth authorization endpoint.</summary>
    public Uri HubSpotAuthorizationEndpoint { get; set; } = new("https://app.hubspot.com/oauth/authorize");

    /// <summary>HubSpot OAuth token endpoint.</summary>
    public Uri HubSpotTokenEndpoint { get; set; } = new("https://api.hubapi.com/oauth/v1/token");

    /// <summary>Scopes requested from HubSpot: read and write for the four object types the actions touch.</summary>
    public IList<string> HubSpotScopes { get; set; } =
    [
        "oauth",
        "crm.objects.contacts.read", "crm.objects.contacts.write",
        "crm.objects.companies.read", "crm.objects.companies.write",
        "crm.objects.deals.read", "crm.objects.deals.write",
        "tickets",
    ];

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

        if (MaxResponseBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, "must be at least 1024");
        }
    }
}
