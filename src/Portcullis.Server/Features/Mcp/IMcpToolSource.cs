using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// One source of the MCP tools an agent sees: built-in actions, a workspace's custom tools, and later workflows and
/// gateway servers. Registered in DI as <c>IEnumerable&lt;IMcpToolSource&gt;</c>; <see cref="McpToolCatalog"/> lists
/// their union. Every tool is called through the governed-action engine with its entry's action type.
/// </summary>
public interface IMcpToolSource
{
    /// <summary>The tools this source offers <paramref name="agent"/>, before policies hide any.</summary>
    Task<IReadOnlyList<McpToolEntry>> ListAsync(AgentIdentity agent, CancellationToken ct);

    /// <summary>
    /// The tool of this name the agent may call, or null. A source that can answer without listing everything
    /// overrides this (it is on every <c>tools/call</c>).
    /// </summary>
    async Task<McpToolEntry?> FindAsync(AgentIdentity agent, string name, CancellationToken ct) =>
        (await ListAsync(agent, ct)).FirstOrDefault(t => t.Name == name);
}
