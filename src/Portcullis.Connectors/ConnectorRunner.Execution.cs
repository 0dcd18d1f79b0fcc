using System.Globalization;
using Portcullis.Connectors.Http;
using Portcullis.Connectors.Security;

namespace Portcullis.Connectors;

public sealed partial class ConnectorRunner
{
    /// <summary>The provider's last answer (or why there is none), attempts made, and every secret involved.</summary>
    private sealed record RunOutcome(ProviderResponse? Response, ConnectorError? Error, int Attempts, SecretRedactor Redactor);

    /// <summary>
    /// Sends the call built for a credential, refreshing an OAuth grant first when it is about to expire
    /// and once more after a 401, then rebuilding the call with the new token and sending it again.
    /// </summary>
    private async Task<RunOutcome> RunAsync(ProviderConnector connector, CredentialSecrets credential, Func<CredentialSecrets, ProviderCall> build, CancellationToken ct)
    {
        var secrets = new List<string>(credential.SecretValues());
        var attempts = 0;
        var oauth = _refresher is not null && connector.UsesOAuth(credential);
        RunOutcome Outcome(ProviderResponse? response, ConnectorError? error) => new(response, error, attempts, new SecretRedactor(secrets));

        if (oauth && ExpiresSoon(credential))
        {
            var (refreshed, refreshError) = await RefreshAsync(connector, credential, null, ct);
            if (refreshError is not null)
            {
                return Outcome(null, refreshError);
            }

            credential = refreshed!;
            secrets.AddRange(credential.SecretValues());
        }

        var refreshedAfter401 = false;
        while (true)
        {
            ProviderCall call;
            try
            {
                call = build(credential);
            }
            catch (CredentialFieldException e)
            {
                return Outcome(null, new ConnectorError(e.Message, null, ConnectorErrorCodes.CredentialInvalid, null));
            }

            secrets.AddRange(call.Secrets());
            var sent = await _http.SendAsync(call, connector.Provider, credential.CredentialId, ct);
            attempts += sent.Attempts;
            if (sent.Response is not { } response)
            {
                return Outcome(null, new ConnectorError(new SecretRedactor(secrets).Redact(sent.ErrorMessage!), null, sent.ErrorCode, null));
            }

            if (response.Status != 401 || !oauth || refreshedAfter401)
            {
                return Outcome(response, null);
            }

            // The token may have been revoked or rotated early: refresh once and try again, never in a loop.
            refreshedAfter401 = true;
            var (next, error) = await RefreshAsync(connector, credential, 401, ct);
            if (error is not null)
            {
                return Outcome(null, error);
            }

            credential = next!;
            secrets.AddRange(credential.SecretValues());
        }
    }

    private async Task<(CredentialSecrets? Credential, ConnectorError? Error)> RefreshAsync(
        ProviderConnector connector, CredentialSecrets credential, int? status, CancellationToken ct)
    {
        CredentialSecrets? refreshed;
        try
        {
            refreshed = await _refresher!.RefreshAsync(credential, ct);
        }
        catch (CredentialRefreshException e)
        {
            return (null, new ConnectorError(e.Message, status, ConnectorErrorCodes.CredentialRefreshFailed, null));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // SECURITY: the refresher's exception may quote the token endpoint's answer; only its type goes out.
            return (null, new ConnectorError($"refreshing the {connector.Provider} authorization failed ({e.GetType().Name}); try again",
                status, ConnectorErrorCodes.CredentialRefreshFailed, null));
        }

        return refreshed is null
            ? (null, new ConnectorError($"the {connector.Provider} authorization has expired or was revoked; reconnect the credential",
                status, ConnectorErrorCodes.CredentialNeedsReconnect, null))
            : (refreshed, null);
    }

    private bool ExpiresSoon(CredentialSecrets credential) =>
        long.TryParse(credential.Get("expiresAt"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var expiresAt)
        && _time.GetUtcNow().Add(_options.TokenRefreshSkew).ToUnixTimeSeconds() >= expiresAt;
}
