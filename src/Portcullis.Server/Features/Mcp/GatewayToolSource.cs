using Portcullis.Server.Features.McpGateway;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The approved tools of the upstream MCP servers the agent is linked to, as <c>&lt;server&gt;__&lt;tool&gt;</c>. A call is the
/// action request <c>mcp.&lt;server&gt;.&lt;tool&gt;</c>: governed like any other, dispatched to the upstream after its pin check.
/// </summary>
public sealed class GatewayToolSource(McpGatewayTools gateway) : IMcpToolSource
{
    public async Task<IReadOnlyList<McpToolEntry>> ListAsync(AgentIdentity agent, CancellationToken ct)
    {
        var tools = await gateway.ListForAgentAsync(agent.WorkspaceId, agent.AgentId, ct);
        return tools.Select(t => new McpToolEntry(t.Name, null, t.Description ?? "", t.InputSchema,
            new McpToolHints(t.ReadOnlyHint, t.DestructiveHint, t.IdempotentHint, OpenWorld: true), t.ActionType)).ToList();
    }
}
