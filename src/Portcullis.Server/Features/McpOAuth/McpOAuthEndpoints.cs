using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Mcp;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>
/// The OAuth 2.1 authorization server in front of <c>/mcp</c>: RFC 8414 metadata, RFC 7591 registration, the token and
/// RFC 7009 revocation endpoints, and each agent's grants under <c>/api/agents/{id}/mcp-clients</c>. The consent page
/// (<c>/oauth/authorize</c>) is a dashboard page: a member signs in and picks the agent.
/// </summary>
public static class McpOAuthEndpoints
{
    public const string MetadataPath = "/.well-known/oauth-authorization-server";
    public const string AuthorizePath = "/oauth/authorize";
    public const string TokenPath = "/oauth/token";
    public const string RegisterPath = "/oauth/register";
    public const string RevokePath = "/oauth/revoke";
    public const string RateLimit = "oauth";

    public static IServiceCollection AddMcpOAuth(this IServiceCollection services)
    {
        services.AddOptions<McpOAuthOptions>().BindConfiguration(McpOAuthOptions.Section)
            .Validate(o => o.AccessTokenMinutes is > 0 and <= 1440 && o.RefreshTokenDays is > 0 and <= 365 && o.CodeSeconds is > 0 and <= 600,
                "Portcullis:Mcp:OAuth: access tokens live 1 to 1440 minutes, refresh tokens 1 to 365 days, codes 1 to 600 seconds")
            .ValidateOnStart();
        services.AddSingleton<McpOAuthClients>();
        services.AddSingleton<McpOAuthTokenStore>();
        services.AddSingleton<McpTokenAuthenticator>();
        services.AddSingleton<IAccessTokenAuthenticator>(sp => sp.GetRequiredService<McpTokenAuthenticator>());
        services.AddSingleton<IssueMcpTokens>();
        services.AddSingleton<RevokeMcpToken>();
        services.AddSingleton<GrantMcpAccess>();
        services.AddSingleton<RevokeMcpGrant>();
        services.AddSingleton<McpGrantQueries>();
        return services;
    }

    public static RateLimitPartition<string> RateLimitPartition(HttpContext http) => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
        "oauth:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
        _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = http.RequestServices.GetRequiredService<IOptions<McpOAuthOptions>>().Value.RequestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
        });

    public static WebApplication MapMcpOAuth(this WebApplication app, RouteGroupBuilder management)
    {
        app.MapGet(MetadataPath, Metadata).AllowAnonymous().WithTags("MCP");
        app.MapPost(RegisterPath, RegisterClientEndpoint.Handle).AllowAnonymous().RequireRateLimiting(RateLimit).WithTags("MCP");
        app.MapPost(TokenPath, Token).AllowAnonymous().RequireRateLimiting(RateLimit).DisableAntiforgery().WithTags("MCP");
        app.MapPost(RevokePath, Revoke).AllowAnonymous().RequireRateLimiting(RateLimit).DisableAntiforgery().WithTags("MCP");
        management.MapGet("/agents/{id}/mcp-clients", ListGrants).RequireAuthorization(RolePolicies.Viewer);
        management.MapDelete("/agents/{id}/mcp-clients/{grantId}", RevokeGrant).RequireAuthorization(RolePolicies.Admin);
        return app;
    }

    public static AuthorizationServerMetadata.Document Metadata(HttpContext http) => AuthorizationServerMetadata.For(McpLinks.For(http).BaseUrl);

    private static async Task<IResult> Token(HttpContext http, IssueMcpTokens issue)
    {
        if (await FormAsync(http) is not { } form)
        {
            return new OAuthError(OAuthError.InvalidRequest, "the body must be application/x-www-form-urlencoded").ToResult();
        }

        var request = new TokenRequest(form["grant_type"], ClientId(http, form), form["code"], form["redirect_uri"], form["code_verifier"],
            form["refresh_token"], form["resource"]);
        var outcome = await issue.ExecuteAsync(request, http.RequestAborted);
        if (outcome.Error is { } error)
        {
            return error.ToResult();
        }

        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return TypedResults.Ok(outcome.Tokens);
    }

    private static async Task<IResult> Revoke(HttpContext http, RevokeMcpToken revoke)
    {
        if (await FormAsync(http) is not { } form || string.IsNullOrEmpty(form["token"]))
        {
            return new OAuthError(OAuthError.InvalidRequest, "`token` is required, as application/x-www-form-urlencoded").ToResult();
        }

        await revoke.ExecuteAsync(form["token"], ClientId(http, form), http.RequestAborted);
        return TypedResults.Ok();
    }

    private static async Task<IResult> ListGrants(HttpContext http, McpGrantQueries grants, string id) =>
        await grants.ListAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } list
            ? TypedResults.Ok(list)
            : Problems.NotFound($"agent `{id}`");

    private static async Task<IResult> RevokeGrant(HttpContext http, RevokeMcpGrant revoke, string id, string grantId) =>
        await revoke.ExecuteAsync(new RevokeMcpGrantCommand(http.User.GetMember(), id, grantId), http.RequestAborted)
            ? TypedResults.NoContent()
            : Problems.NotFound($"MCP client grant `{grantId}` of agent `{id}`");

    private static async Task<IFormCollection?> FormAsync(HttpContext http) =>
        http.Request.HasFormContentType && http.Request.ContentLength is null or <= 16 * 1024 ? await http.Request.ReadFormAsync(http.RequestAborted) : null;

    // Public clients send client_id in the form; some send it as the user name of HTTP Basic with an empty password.
    private static string? ClientId(HttpContext http, IFormCollection form)
    {
        if (!string.IsNullOrEmpty(form["client_id"]))
        {
            return form["client_id"];
        }

        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            return Uri.UnescapeDataString(decoded.Split(':', 2)[0]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
