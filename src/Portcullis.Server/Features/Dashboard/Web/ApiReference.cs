using Scalar.AspNetCore;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>
/// The browsable API reference (Scalar) over the OpenAPI document. Scalar's scripts are embedded in its package and served
/// from here, so the page works offline; its script tags carry a fresh nonce that this page's CSP names.
/// </summary>
public static class ApiReference
{
    public const string Path = "/api-reference";

    public static void MapApiReference(this WebApplication app) =>
        app.MapScalarApiReference(Path, o =>
        {
            o.Title = "Portcullis API reference";
            o.DefaultFonts = false;
            o.Telemetry = false;
            o.DynamicNonce = true;
            // Nothing on this page calls Scalar's hosted services (AI chat, MCP metadata, developer toolbar): it stays offline.
            o.Agent = new ScalarAgentOptions { Disabled = true };
            o.Mcp = new ScalarMcpOptions { Disabled = true };
            o.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            o.Favicon = Assets.Url("favicon.svg");
        })
        .AllowAnonymous()
        .Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = http =>
            {
                http.Response.OnStarting(() =>
                {
                    http.Response.Headers.ContentSecurityPolicy = Policy(http.Items[ScalarOptions.NonceHttpContextItemKey] as string);
                    return Task.CompletedTask;
                });
                return inner(http);
            };
        });

    // Only this page relaxes the dashboard's policy: Scalar's own script tags (by nonce) and the styles its components inject.
    private static string Policy(string? nonce) =>
        $"default-src 'self'; script-src 'self'{(nonce is null ? "" : $" 'nonce-{nonce}'")}; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";
}
