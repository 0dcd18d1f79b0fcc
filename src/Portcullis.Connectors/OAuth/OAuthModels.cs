namespace Portcullis.Connectors.OAuth;

/// <summary>A PKCE pair: keep <paramref name="Verifier"/> server-side, send <paramref name="Challenge"/> in the authorization URL.</summary>
/// <param name="Verifier">43 characters of base64url randomness (256 bits).</param>
/// <param name="Challenge">base64url(SHA-256(verifier)), for <c>code_challenge_method=S256</c>.</param>
public sealed record PkcePair(string Verifier, string Challenge)
{
    /// <inheritdoc />
    public override string ToString() => $"PkcePair {{ Challenge = {Challenge} }}";
}

/// <summary>Outcome of a token request. On failure <paramref name="Error"/> holds an OAuth error code, never a token.</summary>
/// <param name="Ok">True when the provider issued an access token.</param>
/// <param name="AccessToken">The new access token.</param>
/// <param name="RefreshToken">The refresh token (the previous one when the provider issued none).</param>
/// <param name="ExpiresAt">When the access token expires, if the provider said.</param>
/// <param name="Error">RFC 6749 style code: <c>invalid_grant</c>, <c>invalid_client</c>, <c>temporarily_unavailable</c>, …</param>
/// <param name="ErrorDescription">The provider's explanation, with secrets removed.</param>
/// <param name="Scope">Granted scopes, space separated, when reported.</param>
public sealed record OAuthTokenResult(
    bool Ok,
    string? AccessToken,
    string? RefreshToken,
    DateTimeOffset? ExpiresAt,
    string? Error,
    string? ErrorDescription = null,
    string? Scope = null)
{
    internal static OAuthTokenResult Failed(string error, string? description) => new(false, null, null, null, error, description);

    /// <summary>True when the grant is gone for good and the user must connect again.</summary>
    public bool NeedsReconnect => Error is "invalid_grant" or "invalid_client" or "unauthorized_client";

    // SECURITY: a logged result must not carry the tokens.
    /// <inheritdoc />
    public override string ToString() =>
        Ok ? $"OAuthTokenResult {{ Ok = True, ExpiresAt = {ExpiresAt:O}, Scope = {Scope} }}" : $"OAuthTokenResult {{ Ok = False, Error = {Error} }}";
}
