using Portcullis.Server.Features.Mcp;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>Which requests belong to the dashboard, and which of those are background calls (scripts, streams).</summary>
public static class DashboardPaths
{
    /// <summary>Endpoints called by the dashboard's scripts: they answer JSON or event streams, never pages.</summary>
    public const string Background = "/dashboard";

    /// <summary>
    /// Everything but the APIs: <c>/api</c>, health, OpenAPI and the MCP endpoint (JSON-RPC answered as JSON or an event
    /// stream, never a page, so it needs neither the pages' security headers nor their error page).
    /// </summary>
    public static bool IsDashboard(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/health") && !request.Path.StartsWithSegments("/openapi")
        && !request.Path.StartsWithSegments(McpEndpoints.Path);

    public static bool IsBackground(HttpRequest request) => request.Path.StartsWithSegments(Background);
}
