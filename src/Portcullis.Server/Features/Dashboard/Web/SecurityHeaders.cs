namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>Headers every dashboard response carries.</summary>
public static class SecurityHeaders
{
    // Scripts and styles come only from /assets: no inline script can run even if some text slipped
    // through encoding. Frames are refused (clickjacking), forms may only post back here.
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    /// <summary>
    /// The policy of a page whose form is answered with a redirect to <paramref name="target"/> (the MCP consent page sends
    /// the member back to the client): browsers apply <c>form-action</c> to where the form's answer redirects as well.
    /// </summary>
    public static string AllowingFormTarget(string target) =>
        Policy.Replace("form-action 'self'", $"form-action 'self' {target}", StringComparison.Ordinal);

    public static IApplicationBuilder UseDashboardSecurityHeaders(this IApplicationBuilder app) =>
        app.UseWhen(http => DashboardPaths.IsDashboard(http.Request), branch => branch.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = Policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            if (!http.Request.Path.StartsWithSegments("/assets"))
            {
                // Pages show workspace data and, once, new API keys: never keep them in a shared cache or the back-forward cache.
                // "no-cache, no-store" and Pragma are exactly what antiforgery sets on a page with a form: anything else makes it
                // override them and log a warning for every page view.
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
            }

            await next(http);
        }));
}
