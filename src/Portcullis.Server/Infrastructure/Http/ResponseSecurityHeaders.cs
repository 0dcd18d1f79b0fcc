using Microsoft.Extensions.Options;

namespace Portcullis.Server.Infrastructure.Http;

/// <summary>Section <c>Portcullis:Security</c>: response headers that depend on how Portcullis is deployed.</summary>
public sealed class SecurityHeadersOptions
{
    public const string Section = "Portcullis:Security";

    /// <summary>
    /// <c>Strict-Transport-Security</c> max-age in days on HTTPS answers (the original scheme, behind a known proxy); 0 (the
    /// default) sends none. Turn it on only once every client reaches Portcullis over HTTPS.
    /// </summary>
    public int HstsMaxAgeDays { get; set; }
}

/// <summary>
/// Headers on every answer, the API's included (the dashboard adds its content security policy): no MIME sniffing, no
/// framing, no referrer, and HSTS when configured. Set as the answer starts, so error pages written later carry them too.
/// </summary>
public static class ResponseSecurityHeaders
{
    public static WebApplication UseResponseSecurityHeaders(this WebApplication app)
    {
        var hsts = app.Services.GetRequiredService<IOptions<SecurityHeadersOptions>>().Value.HstsMaxAgeDays;
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                // The MCP endpoint's streams go to machine clients only and keep the transport's own headers.
                if (!http.Request.Path.StartsWithSegments("/mcp"))
                {
                    headers.TryAdd("X-Frame-Options", "DENY");
                }

                headers.TryAdd("Referrer-Policy", "no-referrer");
                if (hsts > 0 && http.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = $"max-age={(long)TimeSpan.FromDays(hsts).TotalSeconds}";
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }
}
