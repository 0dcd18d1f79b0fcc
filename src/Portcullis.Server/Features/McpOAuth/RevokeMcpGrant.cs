using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpOAuth;

public sealed record RevokeMcpGrantCommand(Member Actor, string AgentId, string GrantId);

/// <summary>
/// Revoking an MCP client's access to an agent: the one use case behind <c>DELETE /api/agents/{id}/mcp-clients/{grantId}</c>
/// and the agent page's Revoke button. Every token of the grant is refused from the next call on. Revoking twice is harmless.
/// </summary>
public sealed class RevokeMcpGrant(Database database, McpOAuthTokenStore tokens, AuditTrail audit)
{
    /// <summary>False when the agent has no such grant in the actor's workspace.</summary>
    public Task<bool> ExecuteAsync(RevokeMcpGrantCommand command, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            var ws = command.Actor.WorkspaceId;
            var exists = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM mcp_oauth_grants WHERE id = @GrantId AND agent_id = @AgentId AND workspace_id = @ws",
                new { command.GrantId, command.AgentId, ws }, t);
            if (exists == 0)
            {
                return false;
            }

            if (await tokens.RevokeGrantAsync(c, t, command.GrantId, command.Actor.UserId))
            {
                await audit.AppendAsync(c, t, ws, Actor.User(command.Actor.UserId), "mcp_client.revoked", "mcp_client", command.GrantId,
                    new { agentId = command.AgentId, reason = "revoked" });
            }

            return true;
        }, ct);
}
