using Portcullis.Connectors;
using Portcullis.Connectors.OAuth;

namespace Portcullis.Server.Features.Credentials;

/// <summary>
/// Section <c>Portcullis:OAuth</c>: the OAuth apps Portcullis signs in with (client secrets belong in the
/// environment), one sub-section per OAuth provider named by its descriptor (<c>Google</c>, <c>HubSpot</c>).
/// </summary>
public sealed class OAuthAppOptions
{
    public const string Section = "Portcullis:OAuth";

    /// <summary>Client id and secret by provider (<c>gmail</c>, <c>hubspot</c>), filled by <see cref="ReadApps"/>.</summary>
    public Dictionary<string, OAuthApp> Apps { get; } = new(StringComparer.Ordinal);

    /// <summary>The public base URL of this server, for the callback (default: the request's own).</summary>
    public string? PublicBaseUrl { get; set; }

    public OAuthApp For(string provider) => Apps.TryGetValue(provider, out var app) ? app : new OAuthApp();

    /// <summary>The configuration section holding a provider's client id and secret, e.g. <c>Portcullis:OAuth:Google</c>.</summary>
    public static string SectionOf(string provider) => $"{Section}:{ConnectorCatalog.Find(provider)?.OAuth?.AppSection ?? provider}";

    /// <summary>Reads every OAuth provider's app from its sub-section.</summary>
    public static void ReadApps(OAuthAppOptions options, IConfiguration configuration)
    {
        foreach (var descriptor in ConnectorCatalog.All.Where(d => d.OAuth is not null))
        {
            options.Apps[descriptor.Provider] = configuration.GetSection(SectionOf(descriptor.Provider)).Get<OAuthApp>() ?? new OAuthApp();
        }
    }
}

public sealed class OAuthApp
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);
}

/// <summary>
/// Refreshes OAuth tokens for the connectors and stores the new ones sealed. Only a refusal of the grant
/// (<c>invalid_grant</c> and the like) marks the credential <c>needs_reconnect</c> so the dashboard asks for a new
/// sign-in; a passing failure (time-out, 5xx, network) leaves it connected for the next use to try again, and
/// raises a workspace alert once it has failed <see cref="AlertAfter"/> times in a row.
/// </summary>
public sealed partial class OAuthRefresher(OAuthClient oauth, Microsoft.Extensions.Options.IOptions<OAuthAppOptions> apps, IServiceProvider services,
    ILogger<OAuthRefresher> logger) : ICredentialRefresher
{
    public const int AlertAfter = 3;

    public async Task<CredentialSecrets?> RefreshAsync(CredentialSecrets current, CancellationToken ct)
    {
        // Resolved lazily: the store depends on the runner that depends on this refresher.
        var store = services.GetRequiredService<CredentialStore>();
        var workspaceId = await store.WorkspaceOfAsync(current.CredentialId, ct);
        var refreshToken = current.Get("refreshToken");
        var app = apps.Value.For(current.Provider);
        if (refreshToken is null || workspaceId is null || !app.Configured)
        {
            return null;
        }

        var result = await oauth.RefreshAsync(current.Provider, app.ClientId!, app.ClientSecret!, refreshToken, ct);
        if (result.NeedsReconnect)
        {
            await store.SetStatusAsync(workspaceId, current.CredentialId, CredentialStatus.NeedsReconnect, ct);
            return null;
        }

        if (!result.Ok)
        {
            var failures = await store.RecordRefreshFailureAsync(workspaceId, current.CredentialId, current.Provider, AlertAfter, ct);
            LogRefreshFailed(logger, current.CredentialId, current.Provider, result.Error, failures);
            throw new CredentialRefreshException(
                $"refreshing the {current.Provider} authorization failed for now ({result.Error}); the credential stays connected and its next use tries again");
        }

        var values = new Dictionary<string, string>(current.Values, StringComparer.Ordinal)
        {
            ["accessToken"] = result.AccessToken!,
            ["refreshToken"] = result.RefreshToken ?? refreshToken,
            ["expiresAt"] = result.ExpiresAt?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
        await store.UpdateSecretsAsync(workspaceId, current.CredentialId, values, CredentialStatus.Connected, ct);
        return current with { Values = values };
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refreshing OAuth credential {CredentialId} ({Provider}) failed with {Error}, {Failures} time(s) in a row; it stays connected")]
    private static partial void LogRefreshFailed(ILogger logger, string credentialId, string provider, string? error, int failures);
}
