using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Portcullis.Connectors.Security;

namespace Portcullis.Server.Infrastructure;

/// <summary>Section <c>Portcullis:Network</c>: which targets the URLs agents and admins supply may reach.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Portcullis:Network";

    /// <summary>Host names, IP addresses or CIDR ranges that supplied URLs may reach even though they are internal (plain http included).</summary>
    public List<string> AllowedTargets { get; } = [];

    /// <summary>Whether supplied URLs may use plain http to any target; off, only https is accepted (but for <see cref="AllowedTargets"/>).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Addresses or CIDR ranges of the reverse proxies in front of Portcullis. Only their <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> are believed (for the client address the sign-in limiter counts, and for HTTPS cookies);
    /// empty, the headers are ignored.
    /// </summary>
    public List<string> KnownProxies { get; } = [];
}

/// <summary>The one <see cref="OutboundGuard"/> every client that reaches a supplied URL (callbacks, webhooks, MCP upstreams) connects through.</summary>
public static class NetworkServices
{
    public static IServiceCollection AddOutboundGuard(this IServiceCollection services)
    {
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section)
            .Validate(o => o.AllowedTargets.All(t => t.Contains('/', StringComparison.Ordinal) ? IpRange.TryParse(t.Trim(), out _) : true),
                "Portcullis:Network:AllowedTargets holds a malformed CIDR range")
            .Validate(o => o.KnownProxies.All(p => Network(p) is not null),
                "Portcullis:Network:KnownProxies holds an entry that is not an address or a CIDR range with its host bits zero")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<NetworkOptions>>().Value;
            return new OutboundGuard(options.AllowedTargets, options.AllowHttp);
        });
        return services;
    }

    /// <summary>
    /// SECURITY: honours forwarded headers only from the configured proxies (the framework's default trusts loopback; that
    /// default is cleared), walking the chain right to left and stopping at the first address that is not a known proxy.
    /// </summary>
    public static WebApplication UseKnownProxies(this WebApplication app)
    {
        var proxies = app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value.KnownProxies;
        if (proxies.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = null };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownIPNetworks.Add(Network(proxy)!.Value);
        }

        app.UseForwardedHeaders(options);
        return app;
    }

    private static System.Net.IPNetwork? Network(string text) =>
        IpRange.TryParse(text.Trim(), out var range) && System.Net.IPNetwork.TryParse($"{range.Network}/{range.PrefixLength}", out var network) ? network : null;
}
