using System.Data.Common;
using Dapper;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>
/// Workspace alerts of the gateway (no run, agent or action request): a refresh found an approved tool whose definition
/// changed, or a new tool that waits for an admin's approval. Listed by <c>GET /api/alerts</c> and the Alerts page.
/// </summary>
public static class McpToolAlerts
{
    public const string ChangedKind = "mcp_tool_changed";
    public const string AddedKind = "mcp_tool_added";

    public static Task ChangedAsync(DbConnection c, DbTransaction t, McpServerRow server, string tool, TimeProvider time) =>
        InsertAsync(c, t, server, tool, ChangedKind,
            $"MCP server `{server.Name}` changed the definition of its approved tool `{tool}`: calls are blocked until an admin approves it again",
            time);

    public static Task AddedAsync(DbConnection c, DbTransaction t, McpServerRow server, string tool, TimeProvider time) =>
        InsertAsync(c, t, server, tool, AddedKind,
            $"MCP server `{server.Name}` lists a new tool `{tool}`: agents cannot use it until an admin approves it", time);

    private static Task InsertAsync(DbConnection c, DbTransaction t, McpServerRow server, string tool, string kind, string reason, TimeProvider time) =>
        c.ExecuteAsync(
            """
            INSERT INTO alerts (id, workspace_id, kind, action_type, reason, policies, created_at)
            VALUES (@id, @WorkspaceId, @kind, @actionType, @reason, '[]', @now)
            """,
            new { id = Ids.New("alr", time), server.WorkspaceId, kind, actionType = McpNames.ActionType(server.Name, tool), reason, now = time.Now() }, t);
}
