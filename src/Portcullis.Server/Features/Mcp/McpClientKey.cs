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
        return server.SessionId is { Length: > 0 } session ? Create($"mcp:session:{session}", info?.Name)
            : info is not null ? ForClient(info.Name, info.Version)
            : Create("mcp:client:unknown", null);
    }

    /// <summary>A client known only by the name and version it declares (a 2026-07-28 request's <c>_meta</c>).</summary>
    public static McpClientKey ForClient(string name, string version) => Create($"mcp:client:{name}/{version}", name);

    private static McpClientKey Create(string key, string? clientName) => new(key.Length > MaxLength ? key[..MaxLength] : key, clientName);
}
