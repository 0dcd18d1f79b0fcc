using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>The C# SDK's MCP client, over the in-memory test server's HTTP handler, signed in with an agent key.</summary>
public static class McpSession
{
    /// <summary>A client; <paramref name="protocolVersion"/> null prefers 2026-07-28 (server/discover), "2025-11-25" initializes.</summary>
    public static async Task<McpClient> ConnectAsync(ServerFixture server, string agentKey, string? protocolVersion = null, string clientName = "tests")
    {
        var http = server.Factory.CreateClient();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {agentKey}" },
        }, http, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ProtocolVersion = protocolVersion,
            ClientInfo = new Implementation { Name = clientName, Version = "1.0.0" },
        });
    }

    public static Task<CallToolResult> CallAsync(this McpClient client, string tool, object arguments, object? meta = null) =>
        client.CallToolAsync(new CallToolRequestParams
        {
            Name = tool,
            Arguments = JsonSerializer.SerializeToElement(arguments).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
            Meta = meta is null ? null : JsonSerializer.SerializeToNode(meta)!.AsObject(),
        }).AsTask();

    public static string Text(this CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    public static JsonElement Structured(this CallToolResult result) => result.StructuredContent ?? throw new InvalidOperationException("no structuredContent");

    public static string RunId(this CallToolResult result) => result.Meta!["portcullis/runId"]!.GetValue<string>();

    public static JsonNode Answer(this CallToolResult result) => result.Meta!["portcullis/answer"]!;
}
