using System.Buffers.Text;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Connectors.Http;
using Portcullis.Connectors.Security;

namespace Portcullis.Connectors.OAuth;

/// <summary>
/// OAuth 2.0 authorization code flow with PKCE (S256) and state for the providers whose descriptor declares
/// OAuth settings: <c>gmail</c> (Google, offline access so a refresh token is issued) and <c>hubspot</c>. Token calls are never retried:
/// an authorization code is single-use, and a failed refresh is reported for the caller to decide.
/// </summary>
public sealed class OAuthClient
{
    private readonly HttpClient _http;
    private readonly ConnectorOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a client.</summary>
    public OAuthClient(HttpClient http, ConnectorOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _options = options;
        _time = time;
    }

    /// <summary>A fresh PKCE verifier (43 characters, 256 bits) and its S256 challenge.</summary>
    public static PkcePair CreatePkce()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new PkcePair(verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>A fresh unguessable <c>state</c> value (256 bits, base64url) to tie the callback to the session.</summary>
    public static string CreateState() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The URL to send the user's browser to.</summary>
    /// <exception cref="ArgumentException"><paramref name="provider"/> does not connect through OAuth (only <c>gmail</c> and <c>hubspot</c> do).</exception>
    public Uri BuildAuthorizationUrl(string provider, string clientId, string redirectUri, string state, string codeChallenge)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(redirectUri);
        ArgumentException.ThrowIfNullOrEmpty(state);
        ArgumentException.ThrowIfNullOrEmpty(codeChallenge);
        var settings = Settings(provider);
        var endpoint = settings.AuthorizationEndpoint;
        List<KeyValuePair<string, string>> query =
        [
            new("client_id", clientId), new("redirect_uri", redirectUri), new("scope", string.Join(' ', settings.Scopes)),
            .. settings.AuthorizationParameters,
        ];
        query.Add(new("state", state));
        query.Add(new("code_challenge", codeChallenge));
        query.Add(new("code_challenge_method", "S256"));
        var separator = endpoint.Query.Length > 0 ? "&" : "?";
        return new Uri(endpoint.AbsoluteUri + separator + string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")));
    }

    /// <summary>Exchanges the callback's code (with the PKCE verifier) for tokens.</summary>
    public Task<OAuthTokenResult> ExchangeCodeAsync(string provider, string clientId, string clientSecret, string redirectUri, string code, string codeVerifier, CancellationToken ct) =>
        RequestTokenAsync(provider, clientSecret, null,
        [
            new("grant_type", "authorization_code"), new("client_id", clientId), new("client_secret", clientSecret),
            new("redirect_uri", redirectUri), new("code", code), new("code_verifier", codeVerifier),
        ], [clientSecret, code, codeVerifier], ct);

    /// <summary>Gets a new access token; keeps <paramref name="refreshToken"/> when the provider issues no new one.</summary>
    public Task<OAuthTokenResult> RefreshAsync(string provider, string clientId, string clientSecret, string refreshToken, CancellationToken ct) =>
        RequestTokenAsync(provider, clientSecret, refreshToken,
        [
            new("grant_type", "refresh_token"), new("client_id", clientId), new("client_secret", clientSecret), new("refresh_token", refreshToken),
        ], [clientSecret, refreshToken], ct);

    private async Task<OAuthTokenResult> RequestTokenAsync(
        string provider, string clientSecret, string? previousRefreshToken, List<KeyValuePair<string, string>> form, string[] secrets, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        var endpoint = Settings(provider).TokenEndpoint;
        var body = ProviderBody.Form(form);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body.Bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(body.MediaType);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var json = await ReadJsonAsync(response, timeout.Token);
            var redactor = new SecretRedactor(secrets);
            return response.IsSuccessStatusCode
                ? Success(json, previousRefreshToken)
                : Failure(json, (int)response.StatusCode, redactor);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return OAuthTokenResult.Failed("temporarily_unavailable", $"{provider} token endpoint did not answer within {_options.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException)
        {
            return OAuthTokenResult.Failed("temporarily_unavailable", $"{provider} token endpoint could not be reached");
        }
    }

    private OAuthTokenResult Success(JsonElement? json, string? previousRefreshToken)
    {
        var access = Read(json, "access_token", "accessToken");
        if (access is null)
        {
            return OAuthTokenResult.Failed("invalid_response", "the token endpoint answered without an access token");
        }

        var expiresIn = Read(json, "expires_in", "expiresIn");
        DateTimeOffset? expiresAt = long.TryParse(expiresIn, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? _time.GetUtcNow().AddSeconds(seconds)
            : null;
        return new OAuthTokenResult(true, access, Read(json, "refresh_token", "refreshToken") ?? previousRefreshToken, expiresAt, null, null, Read(json, "scope"));
    }

    /// <summary>Google answers <c>{error, error_description}</c>; HubSpot <c>{status: "BAD_REFRESH_TOKEN", message}</c> or <c>{category, message}</c>.</summary>
    private static OAuthTokenResult Failure(JsonElement? json, int status, SecretRedactor redactor)
    {
        var raw = Read(json, "error") ?? (Read(json, "status") is { } s && s != "error" ? s : null) ?? Read(json, "category");
        var error = raw switch
        {
            "BAD_AUTH_CODE" or "BAD_REFRESH_TOKEN" or "BAD_GRANT" => "invalid_grant",
            "BAD_CLIENT_ID" or "BAD_CLIENT_SECRET" => "invalid_client",
            "BAD_REDIRECT_URI" => "invalid_request",
            null when status >= 500 => "temporarily_unavailable",
            null => "invalid_request",
            _ => raw.ToLowerInvariant(),
        };
        var description = Read(json, "error_description") ?? Read(json, "message");
        return OAuthTokenResult.Failed(redactor.Redact(error), description is null ? null : redactor.Redact(description));
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Read(JsonElement? json, params string[] names)
    {
        if (json is not { ValueKind: JsonValueKind.Object } obj)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (obj.TryGetProperty(name, out var value))
            {
                return value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.Array => string.Join(' ', value.EnumerateArray().Select(v => v.ToString())),
                    _ => null,
                };
            }
        }

        return null;
    }

    private OAuthSettings Settings(string provider) =>
        ConnectorCatalog.Find(provider)?.OAuth is null
            ? throw new ArgumentException($"`{provider}` does not connect through OAuth; use one of "
                + string.Join(", ", ConnectorCatalog.All.Where(d => d.OAuth is not null).Select(d => $"`{d.Provider}`")), nameof(provider))
            : _options.OAuthOf(provider);
}
