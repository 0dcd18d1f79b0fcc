using System.Data.Common;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>The SQL of the gateway: servers, their pinned tools, and the agents linked to each. Every query is scoped by workspace.</summary>
public sealed class McpServerStore(Database database)
{
    public static Task<McpServerRow?> FindAsync(DbConnection c, string workspaceId, string id, DbTransaction? t = null) =>
        c.QueryFirstOrDefaultAsync<McpServerRow>(
            $"SELECT {McpServerRow.Columns} FROM mcp_servers WHERE id = @id AND workspace_id = @workspaceId", new { id, workspaceId }, t);

    public static Task<McpServerRow?> FindByNameAsync(DbConnection c, string workspaceId, string name, DbTransaction? t = null) =>
        c.QueryFirstOrDefaultAsync<McpServerRow>(
            $"SELECT {McpServerRow.Columns} FROM mcp_servers WHERE name = @name AND workspace_id = @workspaceId", new { name, workspaceId }, t);

    public static async Task<IReadOnlyList<McpToolRow>> ToolsAsync(DbConnection c, string serverId, DbTransaction? t = null) =>
        (await c.QueryAsync<McpToolRow>($"SELECT {McpToolRow.Columns} FROM mcp_tools WHERE server_id = @serverId ORDER BY name", new { serverId }, t)).ToList();

    public static Task<McpToolRow?> FindToolAsync(DbConnection c, string serverId, string name, DbTransaction? t = null) =>
        c.QueryFirstOrDefaultAsync<McpToolRow>(
            $"SELECT {McpToolRow.Columns} FROM mcp_tools WHERE server_id = @serverId AND name = @name", new { serverId, name }, t);

    public static async Task<IReadOnlyList<string>> AgentIdsAsync(DbConnection c, string serverId, DbTransaction? t = null) =>
        (await c.QueryAsync<string>("SELECT agent_id FROM mcp_server_agents WHERE server_id = @serverId ORDER BY created_at, agent_id", new { serverId }, t)).ToList();

    public static async Task<bool> IsLinkedAsync(DbConnection c, string serverId, string agentId) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mcp_server_agents WHERE server_id = @serverId AND agent_id = @agentId", new { serverId, agentId }) > 0;

    /// <summary>The server as the API shows it: its tools and linked agents, never its secret.</summary>
    public static async Task<McpServerDto> DtoAsync(DbConnection c, McpServerRow server, DbTransaction? t = null) =>
        server.ToDto(await ToolsAsync(c, server.Id, t), await AgentIdsAsync(c, server.Id, t));

    public async Task<IReadOnlyList<McpServerDto>> ListAsync(string workspaceId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var servers = await c.QueryAsync<McpServerRow>(
            $"SELECT {McpServerRow.Columns} FROM mcp_servers WHERE workspace_id = @workspaceId ORDER BY name", new { workspaceId });
        var list = new List<McpServerDto>();
        foreach (var server in servers)
        {
            list.Add(await DtoAsync(c, server));
        }

        return list;
    }

    public async Task<McpServerDto?> GetAsync(string workspaceId, string id, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await FindAsync(c, workspaceId, id) is { } server ? await DtoAsync(c, server) : null;
    }

    /// <summary>Inserts a server; 0 when its name is taken in the workspace (the unique key decides a race).</summary>
    public static Task<int> InsertServerAsync(DbConnection c, DbTransaction t, McpServerRow row) => c.ExecuteAsync(
        """
        INSERT INTO mcp_servers (id, workspace_id, name, url, credential_header, credential_hint, master_key_version, wrapped_key, ciphertext,
            created_by, created_at, refreshed_at)
        VALUES (@Id, @WorkspaceId, @Name, @Url, @CredentialHeader, @CredentialHint, @MasterKeyVersion, @WrappedKey, @Ciphertext,
            @CreatedBy, @CreatedAt, @RefreshedAt)
        ON CONFLICT (workspace_id, name) DO NOTHING
        """, row, t);

    /// <summary>Pins a newly listed tool: pending until an admin approves it.</summary>
    public static Task InsertToolAsync(DbConnection c, DbTransaction t, string workspaceId, string serverId, ToolDefinition tool, long now) => c.ExecuteAsync(
        """
        INSERT INTO mcp_tools (server_id, workspace_id, name, description, input_schema, read_only_hint, destructive_hint, idempotent_hint, open_world_hint,
            definition_hash, status, created_at, updated_at)
        VALUES (@serverId, @workspaceId, @Name, @Description, @InputSchemaJson, @ReadOnlyHint, @DestructiveHint, @IdempotentHint, @OpenWorldHint,
            @hash, 'pending', @now, @now)
        """,
        new
        {
            serverId,
            workspaceId,
            tool.Name,
            tool.Description,
            tool.InputSchemaJson,
            tool.ReadOnlyHint,
            tool.DestructiveHint,
            tool.IdempotentHint,
            tool.OpenWorldHint,
            hash = tool.Hash,
            now
        }, t);

    /// <summary>Records the definition the upstream lists now, with the status it earns against the approved hash.</summary>
    public static Task UpdateToolAsync(DbConnection c, DbTransaction t, string serverId, ToolDefinition tool, string status, long now) => c.ExecuteAsync(
        """
        UPDATE mcp_tools SET description = @Description, input_schema = @InputSchemaJson, read_only_hint = @ReadOnlyHint,
            destructive_hint = @DestructiveHint, idempotent_hint = @IdempotentHint, open_world_hint = @OpenWorldHint, definition_hash = @hash,
            status = @status, updated_at = @now
        WHERE server_id = @serverId AND name = @Name
        """,
        new
        {
            serverId,
            tool.Name,
            tool.Description,
            tool.InputSchemaJson,
            tool.ReadOnlyHint,
            tool.DestructiveHint,
            tool.IdempotentHint,
            tool.OpenWorldHint,
            hash = tool.Hash,
            status,
            now
        }, t);

    public static Task DeleteToolAsync(DbConnection c, DbTransaction t, string serverId, string name) =>
        c.ExecuteAsync("DELETE FROM mcp_tools WHERE server_id = @serverId AND name = @name", new { serverId, name }, t);

    /// <summary>Approves the definition the row holds now; false when it changed since the caller read it (hash guard).</summary>
    public static async Task<bool> ApproveAsync(DbConnection c, DbTransaction t, string serverId, string name, string hash, string userId, long now) =>
        await c.ExecuteAsync(
            """
            UPDATE mcp_tools SET status = 'approved', approved_hash = definition_hash, approved_by = @userId, approved_at = @now, updated_at = @now
            WHERE server_id = @serverId AND name = @name AND definition_hash = @hash
            """, new { serverId, name, hash, userId, now }, t) > 0;

    public static Task DeleteServerAsync(DbConnection c, DbTransaction t, string id) => c.ExecuteAsync(
        """
        DELETE FROM mcp_server_agents WHERE server_id = @id;
        DELETE FROM mcp_tools WHERE server_id = @id;
        DELETE FROM mcp_servers WHERE id = @id;
        """, new { id }, t);

    /// <summary>Links an agent of the server's workspace; false when there is no such agent or the link exists.</summary>
    public static async Task<bool> LinkAsync(DbConnection c, DbTransaction t, string workspaceId, string serverId, string agentId, long now) =>
        await c.ExecuteAsync(
            """
            INSERT INTO mcp_server_agents (server_id, agent_id, workspace_id, created_at)
            SELECT @serverId, id, workspace_id, @now FROM agents WHERE id = @agentId AND workspace_id = @workspaceId
            ON CONFLICT (server_id, agent_id) DO NOTHING
            """, new { serverId, agentId, workspaceId, now }, t) > 0;

    public static async Task<bool> UnlinkAsync(DbConnection c, DbTransaction t, string serverId, string agentId) =>
        await c.ExecuteAsync("DELETE FROM mcp_server_agents WHERE server_id = @serverId AND agent_id = @agentId", new { serverId, agentId }, t) > 0;

    public static Task TouchAsync(DbConnection c, DbTransaction t, string id, long now) =>
        c.ExecuteAsync("UPDATE mcp_servers SET refreshed_at = @now WHERE id = @id", new { id, now }, t);
}
