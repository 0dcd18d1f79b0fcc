using System.Text.Json.Serialization;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// <c>GET /.well-known/oauth-protected-resource</c>: the RFC 9728 metadata of <c>/mcp</c>. Its bearer tokens are agent keys
/// (<c>pk_…</c>) issued in the dashboard, or OAuth access tokens from Portcullis's own authorization server, named here so an
/// MCP client can discover it and run the authorization code flow with PKCE.
/// </summary>
public static class ProtectedResource
{
    public sealed record Metadata(
        [property: JsonPropertyName("resource")] string Resource,
        [property: JsonPropertyName("resource_name")] string ResourceName,
        [property: JsonPropertyName("authorization_servers")] IReadOnlyList<string> AuthorizationServers,
        [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
        [property: JsonPropertyName("bearer_methods_supported")] IReadOnlyList<string> BearerMethodsSupported);

    public static IResult Handle(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        var links = McpLinks.For(http);
        return TypedResults.Json(new Metadata(links.Resource, "Portcullis", [links.BaseUrl], [McpOAuth.AuthorizationRequest.McpScope], ["header"]));
    }
}
