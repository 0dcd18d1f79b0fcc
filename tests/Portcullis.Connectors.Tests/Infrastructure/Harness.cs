using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Portcullis.Connectors.Tests.Infrastructure;

/// <summary>A clock stuck at one instant (timers and delays stay real).</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Default = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public FixedTime()
        : this(Default)
    {
    }

    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A refresher that records calls and answers with a scripted credential (or null).</summary>
public sealed class ScriptedRefresher(Func<CredentialSecrets, CredentialSecrets?> refresh) : ICredentialRefresher
{
    public List<CredentialSecrets> Calls { get; } = [];

    public Task<CredentialSecrets?> RefreshAsync(CredentialSecrets current, CancellationToken ct)
    {
        Calls.Add(current);
        return Task.FromResult(refresh(current));
    }

    /// <summary>Answers with the same credential carrying <paramref name="newAccessToken"/>.</summary>
    public static ScriptedRefresher WithToken(string newAccessToken) => new(current =>
        current with { Values = new Dictionary<string, string>(current.Values) { ["accessToken"] = newAccessToken, ["expiresAt"] = "4102444800" } });
}

/// <summary>Builds runners aimed at a fake provider, with fast retries, and parses JSON.</summary>
public static class Harness
{
    public static readonly HttpClient Client = new();

    public static ConnectorOptions Options(Uri baseUrl, Action<ConnectorOptions>? configure = null)
    {
        var options = new ConnectorOptions
        {
            StripeBaseUrl = baseUrl,
            GmailBaseUrl = baseUrl,
            HubSpotBaseUrl = baseUrl,
            ZendeskBaseUrlTemplate = baseUrl.AbsoluteUri.TrimEnd('/'),
            SlackBaseUrl = baseUrl,
            TwilioBaseUrl = baseUrl,
            GoogleTokenEndpoint = new Uri(baseUrl, "/token"),
            GoogleTokenInfoEndpoint = new Uri(baseUrl, "/tokeninfo"),
            HubSpotTokenEndpoint = new Uri(baseUrl, "/oauth/v1/token"),
            Timeout = TimeSpan.FromSeconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryAfter = TimeSpan.FromSeconds(3),
        };
        configure?.Invoke(options);
        return options;
    }

    public static ConnectorRunner Runner(FakeProvider fake, Action<ConnectorOptions>? configure = null, ICredentialRefresher? refresher = null, TimeProvider? time = null) =>
        new(Client, Options(fake.BaseUrl, configure), time ?? new FixedTime(), refresher);

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static ConnectorRequest Request(string actionType, string payload, CredentialSecrets? credential, string actionRequestId = "act_01HZX3TESTREQUEST") =>
        new(actionRequestId, actionType, ActionCatalog.TryGetProvider(actionType, out var provider) ? provider : "unknown", Json(payload), credential);

    public static string Serialize(object value) => JsonSerializer.Serialize(value);

    /// <summary>A loopback URL nothing listens on: connections are refused at once.</summary>
    public static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }
}
