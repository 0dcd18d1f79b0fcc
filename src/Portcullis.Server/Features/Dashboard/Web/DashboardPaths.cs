namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>Which requests belong to the dashboard, and which of those are background calls (scripts, streams).</summary>
public static class DashboardPaths
{
    /// <summary>Endpoints called by the dashboard's scripts: they answer JSON or event streams, never pages.</summary>
    public const string Background = "/dashboard";

    public static bool IsDashboard(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/health") && !request.Path.StartsWithSegments("/openapi");

    public static bool IsBackground(HttpRequest request) => request.Path.StartsWithSegments(Background);
}
