using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Credentials;

namespace Portcullis.Server.Features.Mcp;

/// <summary>Absolute URLs the MCP server hands out: the dashboard page of an approval, and the resource's own URLs.</summary>
public sealed class McpLinks(string baseUrl)
{
    public string BaseUrl => baseUrl;

    /// <summary>The dashboard's approval page, as the timeline links it (<c>/approvals/{id}</c>).</summary>
    public string Approval(string approvalId) => $"{baseUrl}/approvals/{Uri.EscapeDataString(approvalId)}";

    public string Resource => $"{baseUrl}{McpEndpoints.Path}";

    public string ResourceMetadata => $"{baseUrl}{McpEndpoints.ResourceMetadataPath}";

    public static McpLinks For(HttpContext http)
    {
        var configured = http.RequestServices.GetRequiredService<IOptions<McpOptions>>().Value.PublicBaseUrl
            ?? http.RequestServices.GetRequiredService<IOptions<OAuthAppOptions>>().Value.PublicBaseUrl;
        return new McpLinks((configured ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}").TrimEnd('/'));
    }
}
