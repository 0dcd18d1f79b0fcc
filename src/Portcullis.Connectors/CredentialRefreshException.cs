namespace Portcullis.Connectors;

/// <summary>
/// Thrown by an <see cref="ICredentialRefresher"/> when a refresh failed for a passing reason (time-out, 5xx,
/// network): the grant may still be good, so the credential is not marked for reconnection. The message is
/// shown to users and must not carry a token or the token endpoint's raw answer.
/// </summary>
public sealed class CredentialRefreshException(string message) : Exception(message);
