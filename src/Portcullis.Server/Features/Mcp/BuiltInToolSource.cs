using System.Text.Json;
using Dapper;
using Portcullis.Connectors;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The built-in actions as MCP tools, named by their action type, with the descriptor's JSON Schema and hints. An
/// agent sees a provider's actions when a credential of that provider is linked to it, or every provider in demo mode.
/// </summary>
public sealed class BuiltInToolSource(Database database) : IMcpToolSource
{
    // The catalog is fixed at build time: the entries are built once and shared (JsonElement is safe to share).
    private static readonly IReadOnlyList<McpToolEntry> All = ConnectorCatalog.All
        .SelectMany(c => c.Actions.Select(a => ToEntry(c, a))).ToArray();

    private static readonly Dictionary<string, McpToolEntry> ByName = All.ToDictionary(e => e.Name, StringComparer.Ordinal);

    public async Task<IReadOnlyList<McpToolEntry>> ListAsync(AgentIdentity agent, CancellationToken ct)
    {
        if (agent.Workspace.ConnectorMode == ActionDispatcher.DemoMode)
        {
            return All;
        }

        var providers = await LinkedProvidersAsync(agent, ct);
        return All.Where(e => providers.Contains(e.Provider!)).ToArray();
    }

    public async Task<McpToolEntry?> FindAsync(AgentIdentity agent, string name, CancellationToken ct)
    {
        if (!ByName.TryGetValue(name, out var entry))
        {
            return null;
        }

        return agent.Workspace.ConnectorMode == ActionDispatcher.DemoMode || (await LinkedProvidersAsync(agent, ct)).Contains(entry.Provider!)
            ? entry
            : null;
    }

    private async Task<HashSet<string>> LinkedProvidersAsync(AgentIdentity agent, CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<string>(
            """
            SELECT DISTINCT k.provider FROM credential_links l JOIN credentials k ON k.id = l.credential_id
            WHERE l.agent_id = @agentId AND k.workspace_id = @workspaceId AND k.deleted_at IS NULL
            """, new { agentId = agent.AgentId, workspaceId = agent.WorkspaceId }), ct);
        return rows.ToHashSet(StringComparer.Ordinal);
    }

    // Every built-in action reaches a third-party provider, so each is open-world.
    private static McpToolEntry ToEntry(ConnectorDescriptor connector, ActionDescriptor action) => new(
        action.ActionType, $"{connector.DisplayName}: {action.ActionType}", action.Description,
        JsonSerializer.SerializeToElement(action.InputSchema()),
        new McpToolHints(action.Hints.ReadOnly, action.Hints.Destructive, action.Hints.Idempotent, OpenWorld: true),
        action.ActionType, connector.Provider);
}
