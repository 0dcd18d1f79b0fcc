using System.Text.Json;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>
/// A gateway tool as the <c>/mcp</c> endpoint offers it to an agent. <paramref name="Name"/> is what the agent calls
/// (<c>&lt;server&gt;__&lt;tool&gt;</c>); a call becomes an action request of <paramref name="ActionType"/>
/// (<c>mcp.&lt;server&gt;.&lt;tool&gt;</c>) with the arguments as its payload.
/// </summary>
public sealed record GatewayTool(
    string Name, string ActionType, string? Description, JsonElement InputSchema, bool? ReadOnlyHint, bool? DestructiveHint, bool? IdempotentHint);

/// <summary>The tools of upstream MCP servers an agent may call: approved tools of servers linked to it.</summary>
public sealed class McpGatewayTools(Database database)
{
    // Properties, not a positional record: Dapper converts SQLite's integers to bool? only when setting properties.
    private sealed class Row
    {
        public string Server { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Description { get; init; }
        public string InputSchema { get; init; } = "{}";
        public bool? ReadOnlyHint { get; init; }
        public bool? DestructiveHint { get; init; }
        public bool? IdempotentHint { get; init; }
    }

    public async Task<IReadOnlyList<GatewayTool>> ListForAgentAsync(string workspaceId, string agentId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(
            """
            SELECT s.name AS Server, t.name AS Name, t.description AS Description, t.input_schema AS InputSchema,
                   t.read_only_hint AS ReadOnlyHint, t.destructive_hint AS DestructiveHint, t.idempotent_hint AS IdempotentHint
            FROM mcp_server_agents a
            JOIN mcp_servers s ON s.id = a.server_id AND s.workspace_id = @workspaceId
            JOIN mcp_tools t ON t.server_id = s.id AND t.status = 'approved'
            WHERE a.agent_id = @agentId
            ORDER BY s.name, t.name
            """, new { workspaceId, agentId });
        var tools = new List<GatewayTool>();
        foreach (var row in rows)
        {
            // A tool whose combined name would not be a valid MCP tool name is not offered (it stays callable by REST).
            if (McpNames.ToolName(row.Server, row.Name) is not { } name)
            {
                continue;
            }

            using var schema = JsonDocument.Parse(row.InputSchema);
            tools.Add(new GatewayTool(name, McpNames.ActionType(row.Server, row.Name), row.Description, schema.RootElement.Clone(),
                row.ReadOnlyHint, row.DestructiveHint, row.IdempotentHint));
        }

        return tools;
    }
}
