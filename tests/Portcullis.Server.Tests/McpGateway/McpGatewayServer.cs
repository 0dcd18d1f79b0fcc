using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.McpGateway;

/// <summary>A server whose outbound guard allows 127.0.0.1 (only that address), with server-everything running beside it.</summary>
public abstract class McpGatewayServer(StorageProvider provider) : ServerFixture(provider)
{
    public UpstreamMcpServer Everything { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:Network:AllowedTargets:0"] = "127.0.0.1",
    };

    public override async Task InitializeAsync()
    {
        Everything = await UpstreamMcpServer.EverythingAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Everything.DisposeAsync();
    }
}

public sealed class McpGatewaySqliteServer() : McpGatewayServer(StorageProvider.Sqlite);

public sealed class McpGatewayPostgresServer() : McpGatewayServer(StorageProvider.Postgres);

/// <summary>Registering, approving and linking upstream servers as a test workspace's owner.</summary>
public static class McpGatewaySteps
{
    public static async Task<JsonElement> RegisterMcpAsync(this TestWorkspace ws, string name, string url, string? credential = null)
    {
        var response = await ws.Owner().PostJson("/api/mcp/servers", new { name, url, credential });
        await response.AssertStatus(HttpStatusCode.Created);
        return await response.Json();
    }

    public static async Task ApproveMcpToolAsync(this TestWorkspace ws, string serverId, string tool) =>
        await (await ws.Owner().PostAsync($"/api/mcp/servers/{serverId}/tools/{tool}/approve", null)).AssertStatus(HttpStatusCode.OK);

    public static async Task LinkMcpAsync(this TestWorkspace ws, string serverId) =>
        await (await ws.Owner().PostAsync($"/api/mcp/servers/{serverId}/agents/{ws.AgentId}", null)).AssertStatus(HttpStatusCode.NoContent);

    /// <summary>Registers, links the workspace's agent and approves <paramref name="tools"/>; returns the server id.</summary>
    public static async Task<string> ReadyMcpAsync(this TestWorkspace ws, string name, string url, string? credential = null, params string[] tools)
    {
        var id = (await ws.RegisterMcpAsync(name, url, credential)).GetProperty("id").GetString()!;
        await ws.LinkMcpAsync(id);
        foreach (var tool in tools)
        {
            await ws.ApproveMcpToolAsync(id, tool);
        }

        return id;
    }

    public static JsonElement Tool(this JsonElement server, string name) =>
        server.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);

    public static object Call(string runId, string actionType, object payload, string? idempotencyKey = null) =>
        new { runId, actionType, payload, idempotencyKey };
}
