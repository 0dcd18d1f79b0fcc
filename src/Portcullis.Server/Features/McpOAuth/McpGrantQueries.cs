using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>An MCP client's access to an agent, as the agent's page and <c>GET /api/agents/{id}/mcp-clients</c> show it.</summary>
public sealed record McpClientGrantDto(
    string Id, string ClientId, string? ClientName, string GrantedBy, string CreatedAt, string? LastUsedAt, string? RevokedAt, bool Active);

public sealed class McpGrantQueries(Database database)
{
    /// <summary>The agent's grants, newest first; null when the workspace has no such agent.</summary>
    public async Task<IReadOnlyList<McpClientGrantDto>?> ListAsync(string workspaceId, string agentId, CancellationToken ct) =>
        await database.ReadAsync(async c =>
        {
            var agent = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agents WHERE id = @agentId AND workspace_id = @workspaceId", new { agentId, workspaceId });
            if (agent == 0)
            {
                return null;
            }

            var rows = await c.QueryAsync<Row>(
                """
                SELECT g.id AS Id, g.client_id AS ClientId, cl.name AS ClientName, COALESCE(u.email, g.granted_by) AS GrantedBy,
                       g.created_at AS CreatedAt, g.last_used_at AS LastUsedAt, g.revoked_at AS RevokedAt
                FROM mcp_oauth_grants g JOIN mcp_oauth_clients cl ON cl.id = g.client_id LEFT JOIN users u ON u.id = g.granted_by
                WHERE g.workspace_id = @workspaceId AND g.agent_id = @agentId
                ORDER BY g.created_at DESC, g.id DESC
                """, new { workspaceId, agentId });
            return (IReadOnlyList<McpClientGrantDto>)rows.Select(r => new McpClientGrantDto(r.Id, r.ClientId, r.ClientName, r.GrantedBy,
                Times.ToIso(r.CreatedAt), Times.ToIso(r.LastUsedAt), Times.ToIso(r.RevokedAt), r.RevokedAt is null)).ToList();
        }, ct);

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string ClientId { get; init; } = "";
        public string? ClientName { get; init; }
        public string GrantedBy { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? LastUsedAt { get; init; }
        public long? RevokedAt { get; init; }
    }
}
