using System.Text.Json;
using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Mcp;

/// <summary>A custom MCP tool as the API shows it.</summary>
public sealed record CustomToolDto(string Id, string Name, string Description, JsonElement InputSchema, string CreatedBy, string CreatedAt);

/// <summary>The <c>mcp_custom_tools</c> table: tools an admin declares for a workspace. Changes are audited.</summary>
public sealed class CustomToolStore(Database database, AuditTrail audit, TimeProvider time)
{
    private const string Columns =
        "id AS Id, name AS Name, description AS Description, input_schema AS InputSchema, created_by AS CreatedBy, created_at AS CreatedAt";

    public async Task<IReadOnlyList<CustomToolDto>> ListAsync(string workspaceId, CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<Row>(
            $"SELECT {Columns} FROM mcp_custom_tools WHERE workspace_id = @workspaceId ORDER BY name", new { workspaceId }), ct);
        return rows.Select(r => r.ToDto()).ToList();
    }

    /// <summary>Adds a tool; null when the workspace already has a tool of that name.</summary>
    public async Task<CustomToolDto?> AddAsync(string workspaceId, string userId, string name, string description, string schemaJson, CancellationToken ct)
    {
        var row = new Row
        {
            Id = Ids.New("mct", time),
            Name = name,
            Description = description,
            InputSchema = schemaJson,
            CreatedBy = userId,
            CreatedAt = time.Now(),
        };
        var added = await database.WriteAsync(async (c, t) =>
        {
            // The unique (workspace_id, name) key decides a race between two admins adding the same name.
            var inserted = await c.ExecuteAsync(
                """
                INSERT INTO mcp_custom_tools (id, workspace_id, name, description, input_schema, created_by, created_at)
                VALUES (@Id, @workspaceId, @Name, @Description, @InputSchema, @CreatedBy, @CreatedAt)
                ON CONFLICT (workspace_id, name) DO NOTHING
                """, new { row.Id, workspaceId, row.Name, row.Description, row.InputSchema, row.CreatedBy, row.CreatedAt }, t);
            if (inserted > 0)
            {
                await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "mcp_tool.created", "mcp_tool", row.Id, new { name, description });
            }

            return inserted > 0;
        }, ct);
        return added ? row.ToDto() : null;
    }

    public Task<bool> DeleteAsync(string workspaceId, string userId, string id, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            var deleted = await c.ExecuteAsync("DELETE FROM mcp_custom_tools WHERE id = @id AND workspace_id = @workspaceId", new { id, workspaceId }, t);
            if (deleted > 0)
            {
                await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "mcp_tool.deleted", "mcp_tool", id);
            }

            return deleted > 0;
        }, ct);

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Description { get; init; } = "";
        public string InputSchema { get; init; } = "{}";
        public string CreatedBy { get; init; } = "";
        public long CreatedAt { get; init; }

        public CustomToolDto ToDto() =>
            new(Id, Name, Description, JsonDocument.Parse(InputSchema).RootElement.Clone(), CreatedBy, Times.ToIso(CreatedAt));
    }
}
