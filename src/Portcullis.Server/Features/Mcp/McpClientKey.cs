using ModelContextProtocol.Server;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// What groups an MCP client's calls into one run: its MCP session (2025-11-25 clients, which keep a session), else its
/// declared name and version (2026-07-28 clients send them with every request), else one shared key.
/// </summary>
public sealed record McpClientKey(string Key, string? ClientName)
{
    private const int MaxLength = 200;

    public static McpClientKey Of(McpServer server)
    {
        var info = server.ClientInfo;
        var key = server.SessionId is { Length: > 0 } session ? $"mcp:session:{session}"
            : info is not null ? $"mcp:client:{info.Name}/{info.Version}"
            : "mcp:client:unknown";
        return new McpClientKey(key.Length > MaxLength ? key[..MaxLength] : key, info?.Name);
    }
}
