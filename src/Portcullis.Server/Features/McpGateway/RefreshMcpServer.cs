using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpGateway;

public sealed record RefreshMcpServerCommand(Member Actor, string ServerId);

public abstract record RefreshMcpServerResult
{
    private RefreshMcpServerResult()
    {
    }

    public sealed record Refreshed(McpRefreshDto Refresh) : RefreshMcpServerResult;

    public sealed record NotFound(string ServerId) : RefreshMcpServerResult;

    public sealed record UpstreamFailed(string Message) : RefreshMcpServerResult;
}

/// <summary>
/// Lists a server's tools again: new tools are pinned pending, an approved tool whose definition changed becomes
/// <c>changed</c> (blocked until re-approved; audited), tools gone upstream are unpinned.
/// </summary>
public sealed class RefreshMcpServer(Database database, McpConnections connections, McpPins pins, AuditTrail audit)
{
    public async Task<RefreshMcpServerResult> ExecuteAsync(RefreshMcpServerCommand command, CancellationToken ct)
    {
        var workspaceId = command.Actor.WorkspaceId;
        McpServerRow? server;
        await using (var c = await database.OpenAsync(ct))
        {
            server = await McpServerStore.FindAsync(c, workspaceId, command.ServerId);
        }

        if (server is null)
        {
            return new RefreshMcpServerResult.NotFound(command.ServerId);
        }

        IReadOnlyList<ToolDefinition> listed;
        try
        {
            listed = await connections.ListAsync(server, ct);
        }
        catch (Exception ex) when (McpUpstream.IsUpstreamFailure(ex))
        {
            return new RefreshMcpServerResult.UpstreamFailed(McpUpstream.Describe(ex));
        }

        var refreshed = await database.WriteAsync(async (c, t) =>
        {
            // Deleted meanwhile: nothing to pin.
            if (await McpServerStore.FindAsync(c, workspaceId, server.Id, t) is not { } current)
            {
                return null;
            }

            var diff = await pins.ApplyAsync(c, t, current, listed);
            await audit.AppendAsync(c, t, workspaceId, Actor.User(command.Actor.UserId), "mcp.server_refreshed", "mcp_server", server.Id, new
            {
                server = server.Name,
                added = diff.Added,
                changed = diff.Changed,
                restored = diff.Restored,
                removed = diff.Removed,
            });
            return new McpRefreshDto(await McpServerStore.DtoAsync(c, current, t), diff.Added, diff.Changed, diff.Restored, diff.Removed);
        }, ct);
        return refreshed is null ? new RefreshMcpServerResult.NotFound(command.ServerId) : new RefreshMcpServerResult.Refreshed(refreshed);
    }
}
