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
}

/// <summary>The one <see cref="OutboundGuard"/> every client that reaches a supplied URL (callbacks, webhooks, MCP upstreams) connects through.</summary>
public static class NetworkServices
{
    public static IServiceCollection AddOutboundGuard(this IServiceCollection services)
    {
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section)
            .Validate(o => o.AllowedTargets.All(t => t.Contains('/', StringComparison.Ordinal) ? IpRange.TryParse(t.Trim(), out _) : true),
                "Portcullis:Network:AllowedTargets holds a malformed CIDR range")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<NetworkOptions>>().Value;
            return new OutboundGuard(options.AllowedTargets, options.AllowHttp);
        });
        return services;
    }
}
