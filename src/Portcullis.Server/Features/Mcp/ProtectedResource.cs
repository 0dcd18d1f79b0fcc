using System.Text.Json.Serialization;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// <c>GET /.well-known/oauth-protected-resource</c>: the RFC 9728 metadata of <c>/mcp</c>. Its bearer tokens are agent keys
/// (<c>pk_…</c>) issued in the dashboard; no authorization server is named (there is no OAuth flow yet), so a client is
/// configured with a key.
/// </summary>
public static class ProtectedResource
{
    public sealed record Metadata(
        [property: JsonPropertyName("resource")] string Resource,
        [property: JsonPropertyName("resource_name")] string ResourceName,
        [property: JsonPropertyName("bearer_methods_supported")] IReadOnlyList<string> BearerMethodsSupported);

    public static IResult Handle(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Json(new Metadata(McpLinks.For(http).Resource, "Portcullis", ["header"]));
    }
}
