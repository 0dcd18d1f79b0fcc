using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Agents;

/// <summary>Reads of a workspace's agents and their keys, shared by <c>GET /api/agents…</c> and the dashboard's pages.</summary>
public sealed class AgentQueries(Database database)
{
    public async Task<IReadOnlyList<AgentDto>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<AgentRow>(
            $"SELECT {AgentRow.Columns} FROM agents WHERE workspace_id = @workspaceId ORDER BY name", new { workspaceId });
        return rows.Select(r => r.ToDto()).ToList();
    }

    /// <summary>The agent, or null when the workspace has none of that id.</summary>
    public async Task<AgentDto?> GetAsync(string workspaceId, string agentId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await AgentsApi.FindAsync(connection, workspaceId, agentId))?.ToDto();
    }

    /// <summary>The agent's keys, oldest first (revoked ones too), or null when the workspace has no such agent.</summary>
    public async Task<IReadOnlyList<AgentKeyDto>?> ListKeysAsync(string workspaceId, string agentId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await AgentsApi.FindAsync(connection, workspaceId, agentId) is null)
        {
            return null;
        }

        var rows = await connection.QueryAsync<AgentKeyRow>(
            $"SELECT {AgentKeyRow.Columns} FROM agent_keys WHERE workspace_id = @workspaceId AND agent_id = @agentId ORDER BY created_at, id",
            new { workspaceId, agentId });
        return rows.Select(r => r.ToDto()).ToList();
    }
}
