using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>What the token endpoint was asked: a grant type and its parameters, as the form carried them.</summary>
public sealed record TokenRequest(string? GrantType, string? ClientId, string? Code, string? RedirectUri, string? CodeVerifier, string? RefreshToken, string? Resource);

/// <summary>A successful token answer (RFC 6749 §5.1).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("scope")] string Scope);

/// <summary>
/// The token endpoint's use case: an authorization code (with its PKCE verifier) or a refresh token for a fresh access
/// token and refresh token. Codes and refresh tokens are single-use; presenting a spent one again revokes the whole grant,
/// since only a thief or a replay would (OAuth 2.1 §4.1.2 and §4.3.1).
/// </summary>
public sealed class IssueMcpTokens(Database database, McpOAuthTokenStore tokens, AuditTrail audit, IOptions<McpOAuthOptions> options, TimeProvider time)
{
    public sealed record Outcome(TokenResponse? Tokens, OAuthError? Error);

    public Task<Outcome> ExecuteAsync(TokenRequest request, CancellationToken ct) => request.GrantType switch
    {
        "authorization_code" => RedeemAsync(request, McpOAuthTokenStore.Code, ct),
        "refresh_token" => RedeemAsync(request, McpOAuthTokenStore.Refresh, ct),
        null or "" => Task.FromResult(Fail(OAuthError.InvalidRequest, "`grant_type` is required")),
        _ => Task.FromResult(Fail(OAuthError.UnsupportedGrantType, "`grant_type` must be `authorization_code` or `refresh_token`")),
    };

    private Task<Outcome> RedeemAsync(TokenRequest request, string kind, CancellationToken ct)
    {
        var secret = kind == McpOAuthTokenStore.Code ? request.Code : request.RefreshToken;
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(request.ClientId))
        {
            var field = kind == McpOAuthTokenStore.Code ? "code" : "refresh_token";
            return Task.FromResult(Fail(OAuthError.InvalidRequest, $"`{field}` and `client_id` are required"));
        }

        return database.WriteAsync(async (c, t) =>
        {
            var row = await tokens.FindAsync(c, t, secret, kind);
            if (row is null || row.ClientId != request.ClientId)
            {
                return Fail(OAuthError.InvalidGrant, $"the {Words(kind)} is not valid for this client");
            }

            if (row.UsedAt is not null)
            {
                // A replayed code or refresh token: whoever holds the grant's other tokens cannot be trusted either.
                if (await tokens.RevokeGrantAsync(c, t, row.GrantId, "system"))
                {
                    await audit.AppendAsync(c, t, row.WorkspaceId, Actor.System, "mcp_client.revoked", "mcp_client", row.GrantId,
                        new { agentId = row.AgentId, clientId = row.ClientId, reason = $"{kind}_reused" });
                }

                return Fail(OAuthError.InvalidGrant, $"the {Words(kind)} was already used; the grant is revoked and must be authorized again");
            }

            if (Check(row, request, kind) is { } error)
            {
                return new Outcome(null, error);
            }

            if (!await tokens.SpendAsync(c, t, row.Id))
            {
                return Fail(OAuthError.InvalidGrant, $"the {Words(kind)} was already used");
            }

            return new Outcome(await IssueAsync(c, t, row), null);
        }, ct);
    }

    private OAuthError? Check(McpOAuthTokenStore.Row row, TokenRequest request, string kind)
    {
        if (row.GrantRevokedAt is not null || row.ExpiresAt <= time.Now())
        {
            return new(OAuthError.InvalidGrant, $"the {Words(kind)} has expired or its grant was revoked");
        }

        if (kind == McpOAuthTokenStore.Code && row.RedirectUri != request.RedirectUri)
        {
            return new(OAuthError.InvalidGrant, "`redirect_uri` must be the one the authorization request used");
        }

        if (kind == McpOAuthTokenStore.Code && !Pkce.Matches(request.CodeVerifier, row.CodeChallenge))
        {
            return new(OAuthError.InvalidGrant, "`code_verifier` does not match the authorization request's `code_challenge` (S256)");
        }

        return request.Resource is { Length: > 0 } resource && !Resources.Same(resource, row.Resource)
            ? new(OAuthError.InvalidTarget, $"this grant is for the resource `{row.Resource}`")
            : null;
    }

    private async Task<TokenResponse> IssueAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, McpOAuthTokenStore.Row row)
    {
        var o = options.Value;
        var access = await tokens.IssueAsync(c, t, row.GrantId, McpOAuthTokenStore.Access, o.AccessTokenLifetime);
        var refresh = await tokens.IssueAsync(c, t, row.GrantId, McpOAuthTokenStore.Refresh, o.RefreshTokenLifetime);
        return new TokenResponse(access, "Bearer", (long)o.AccessTokenLifetime.TotalSeconds, refresh, row.Scope);
    }

    private static string Words(string kind) => kind == McpOAuthTokenStore.Code ? "authorization code" : "refresh token";

    private static Outcome Fail(string error, string description) => new(null, new OAuthError(error, description));
}
