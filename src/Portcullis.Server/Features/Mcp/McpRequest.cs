using ModelContextProtocol.Server;

namespace Portcullis.Server.Features.Mcp;

/// <summary>The HTTP request behind an MCP request: the AgentKey scheme put the agent on it.</summary>
internal static class McpRequest
{
    public static HttpContext Http(MessageContext request) =>
        request.Services?.GetRequiredService<IHttpContextAccessor>().HttpContext
        ?? throw new InvalidOperationException("an MCP request outside an HTTP request");
}
