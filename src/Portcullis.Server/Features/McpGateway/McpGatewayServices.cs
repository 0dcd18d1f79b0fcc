namespace Portcullis.Server.Features.McpGateway;

/// <summary>Registrations of the MCP gateway.</summary>
public static class McpGatewayServices
{
    public static IServiceCollection AddMcpGateway(this IServiceCollection services)
    {
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
