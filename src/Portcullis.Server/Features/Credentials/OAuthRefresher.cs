using Portcullis.Connectors;
using Portcullis.Connectors.OAuth;

namespace Portcullis.Server.Features.Credentials;

/// <summary>Section <c>Portcullis:OAuth</c>: the OAuth apps Portcullis signs in with (client secrets belong in the environment).</summary>
public sealed class OAuthAppOptions
{
    public const string Section = "Portcullis:OAuth";

    public OAuthApp Google { get; set; } = new();

    public OAuthApp HubSpot { get; set; } = new();

    /// <summary>The public base URL of this server, for the callback (default: the request's own).</summary>
    public string? PublicBaseUrl { get; set; }

    public OAuthApp For(string provider) => provider == "gmail" ? Google : HubSpot;
}

public sealed class OAuthApp
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);
}

/// <summary>
/// Refreshes OAuth tokens for the connectors and stores the new ones sealed. When the provider refuses
/// (revoked grant), the credential is marked <c>needs_reconnect</c> so the dashboard asks for a new sign-in.
/// </summary>
public sealed class OAuthRefresher(OAuthClient oauth, Microsoft.Extensions.Options.IOptions<OAuthAppOptions> apps, IServiceProvider services) : ICredentialRefresher
{
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
        if (!result.Ok)
        {
            await store.SetStatusAsync(workspaceId, current.CredentialId, CredentialStatus.NeedsReconnect, ct);
            return null;
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
}
