namespace Portcullis.Connectors;

/// <summary>
/// Refreshes an OAuth credential (Gmail, HubSpot) and persists the new tokens. Implemented by the server,
/// typically with <see cref="OAuth.OAuthClient.RefreshAsync"/>.
/// </summary>
public interface ICredentialRefresher
{
    /// <summary>
    /// Returns the refreshed credential, or null when the grant is gone and the user must reconnect. A passing
    /// failure throws <see cref="CredentialRefreshException"/> instead: the next use tries again.
    /// </summary>
    Task<CredentialSecrets?> RefreshAsync(CredentialSecrets current, CancellationToken ct);
}
