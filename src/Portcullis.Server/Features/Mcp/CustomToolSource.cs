using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The workspace's custom tools. A call is an action request whose action type is the tool's name: policies decide
/// it and the timeline records it, and the engine never dispatches it (it is not a built-in action type).
/// </summary>
public sealed class CustomToolSource(CustomToolStore store) : IMcpToolSource
{
    public async Task<IReadOnlyList<McpToolEntry>> ListAsync(AgentIdentity agent, CancellationToken ct)
    {
        var tools = await store.ListAsync(agent.WorkspaceId, ct);
        return tools.Select(t => new McpToolEntry(t.Name, null, t.Description, t.InputSchema, McpToolHints.None, t.Name)).ToList();
    }
}
