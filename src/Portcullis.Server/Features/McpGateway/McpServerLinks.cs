using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>Which agents a server's tools are offered to, and removing a server: small admin changes, each audited.</summary>
public sealed class McpServerLinks(Database database, AuditTrail audit, TimeProvider time)
{
    public enum Outcome { Done, ServerNotFound, AgentNotFound, LinkNotFound }

    public Task<Outcome> LinkAsync(Member actor, string serverId, string agentId, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await McpServerStore.FindAsync(c, actor.WorkspaceId, serverId, t) is not { } server)
            {
                return Outcome.ServerNotFound;
            }

            if (!await Credentials.CredentialStore.AgentExistsAsync(c, t, actor.WorkspaceId, agentId))
            {
                return Outcome.AgentNotFound;
            }

            if (await McpServerStore.LinkAsync(c, t, actor.WorkspaceId, server.Id, agentId, time.Now()))
            {
                await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "mcp.agent_linked", "mcp_server", server.Id,
                    new { server = server.Name, agentId });
            }

            return Outcome.Done;
        }, ct);

    public Task<Outcome> UnlinkAsync(Member actor, string serverId, string agentId, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await McpServerStore.FindAsync(c, actor.WorkspaceId, serverId, t) is not { } server)
            {
                return Outcome.ServerNotFound;
            }

            if (!await McpServerStore.UnlinkAsync(c, t, server.Id, agentId))
            {
                return Outcome.LinkNotFound;
            }

            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "mcp.agent_unlinked", "mcp_server", server.Id,
                new { server = server.Name, agentId });
            return Outcome.Done;
        }, ct);

    /// <summary>Removes the server, its pins and links, and destroys its sealed credential with the row.</summary>
    public Task<Outcome> DeleteAsync(Member actor, string serverId, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await McpServerStore.FindAsync(c, actor.WorkspaceId, serverId, t) is not { } server)
            {
                return Outcome.ServerNotFound;
            }

            await McpServerStore.DeleteServerAsync(c, t, server.Id);
            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "mcp.server_deleted", "mcp_server", server.Id,
                new { server = server.Name, url = server.Url });
            return Outcome.Done;
        }, ct);
}
