using System.Net;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// DNS-rebinding defence on <c>/mcp</c> (the transport's MUST): a request carrying an <c>Origin</c> (that is, from a
/// browser) is refused with 403 unless the origin is the configured public URL, one of <see cref="McpOptions.AllowedOrigins"/>,
/// or a loopback host. Agents and SDK clients send no <c>Origin</c> and pass.
/// </summary>
public static class McpOriginGuard
{
    public static async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && http.Request.Path.StartsWithSegments(McpEndpoints.Path) && !Allowed(origin, http))
        {
            await Problems.Forbidden($"requests from origin `{origin}` are not accepted").ExecuteAsync(http);
            return;
        }

        await next();
    }

    private static bool Allowed(string origin, HttpContext http)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<McpOptions>>().Value;
        var configured = options.AllowedOrigins.Append(options.PublicBaseUrl).OfType<string>();
        return IsLoopback(uri.Host) || configured.Any(o => Uri.TryCreate(o, UriKind.Absolute, out var allowed)
            && string.Equals(allowed.GetLeftPart(UriPartial.Authority), uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
