using Microsoft.Extensions.Options;
using Portcullis.Connectors.Security;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>Section <c>Portcullis:Network</c>: which internal targets outbound URLs may reach.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Portcullis:Network";

    /// <summary>Host names, IP addresses or CIDR ranges that outbound URLs may reach even though they are internal.</summary>
    public List<string> AllowedTargets { get; } = [];
}

/// <summary>Registrations of the MCP gateway.</summary>
public static class McpGatewayServices
{
    public static IServiceCollection AddMcpGateway(this IServiceCollection services)
    {
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section);
        services.AddSingleton(sp => new OutboundGuard(sp.GetRequiredService<IOptions<NetworkOptions>>().Value.AllowedTargets));
        services.AddSingleton<McpUpstream>();
        services.AddSingleton<McpConnections>();
        services.AddSingleton<McpServerStore>();
        services.AddSingleton<McpPins>();
        services.AddSingleton<McpGatewayTools>();
        services.AddSingleton<McpActionCheck>();
        services.AddSingleton<McpToolDispatcher>();
        services.AddSingleton<RegisterMcpServer>();
        services.AddSingleton<RefreshMcpServer>();
        services.AddSingleton<ApproveMcpTool>();
        services.AddSingleton<McpServerLinks>();
        return services;
    }
}
