using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpGateway;

public sealed record ApproveMcpToolCommand(Member Actor, string ServerId, string ToolName);

public abstract record ApproveMcpToolResult
{
    private ApproveMcpToolResult()
    {
    }

    public sealed record Approved(McpToolDto Tool) : ApproveMcpToolResult;

    public sealed record ServerNotFound(string ServerId) : ApproveMcpToolResult;

    public sealed record ToolNotFound(string ServerId, string ToolName) : ApproveMcpToolResult;
}

/// <summary>Approves the definition of a tool as it is pinned now (the hash the admin was shown); audited with the hash it replaces.</summary>
public sealed class ApproveMcpTool(Database database, AuditTrail audit, TimeProvider time)
{
    public Task<ApproveMcpToolResult> ExecuteAsync(ApproveMcpToolCommand command, CancellationToken ct) =>
        database.WriteAsync<ApproveMcpToolResult>(async (c, t) =>
        {
            var workspaceId = command.Actor.WorkspaceId;
            if (await McpServerStore.FindAsync(c, workspaceId, command.ServerId, t) is not { } server)
            {
                return new ApproveMcpToolResult.ServerNotFound(command.ServerId);
            }

            if (await McpServerStore.FindToolAsync(c, server.Id, command.ToolName, t) is not { } tool)
            {
                return new ApproveMcpToolResult.ToolNotFound(server.Id, command.ToolName);
            }

            // The hash guard is the row just read: on SQLite the single writer, on PostgreSQL a concurrent refresh makes this approve nothing.
            if (await McpServerStore.ApproveAsync(c, t, server.Id, tool.Name, tool.DefinitionHash, command.Actor.UserId, time.Now()))
            {
                await audit.AppendAsync(c, t, workspaceId, Actor.User(command.Actor.UserId), "mcp.tool_approved", "mcp_server", server.Id, new
                {
                    server = server.Name,
                    tool = tool.Name,
                    hash = tool.DefinitionHash,
                    previousHash = tool.ApprovedHash,
                    previousStatus = tool.Status,
                });
            }

            var approved = await McpServerStore.FindToolAsync(c, server.Id, tool.Name, t);
            return new ApproveMcpToolResult.Approved(approved!.ToDto(server.Name));
        }, ct);
}
