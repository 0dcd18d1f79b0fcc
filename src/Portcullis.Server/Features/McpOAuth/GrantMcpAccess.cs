using Dapper;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpOAuth;

public sealed record GrantMcpAccessCommand(Member Actor, string AgentId, AuthorizationRequest Request);

public abstract record GrantMcpAccessResult
{
    private GrantMcpAccessResult()
    {
    }

    /// <summary>The grant, and the authorization code to send back to the client.</summary>
    public sealed record Granted(string GrantId, string Code) : GrantMcpAccessResult;

    public sealed record AgentNotFound(string AgentId) : GrantMcpAccessResult;

    /// <summary>Granting access is issuing a credential for the agent, which takes an admin, as issuing an API key does.</summary>
    public sealed record NotAllowed : GrantMcpAccessResult;
}

/// <summary>
/// A member's consent: the MCP client may act as this agent of the member's workspace. Creates the grant and its
/// short-lived, single-use authorization code bound to the client's PKCE challenge and redirect URI; audited.
/// </summary>
public sealed class GrantMcpAccess(Database database, McpOAuthTokenStore tokens, AuditTrail audit, IOptions<McpOAuthOptions> options, TimeProvider time)
{
    public async Task<GrantMcpAccessResult> ExecuteAsync(GrantMcpAccessCommand command, CancellationToken ct)
    {
        if (command.Actor.Role < Role.Admin)
        {
            return new GrantMcpAccessResult.NotAllowed();
        }

        var (actor, request) = (command.Actor, command.Request);
        return await database.WriteAsync<GrantMcpAccessResult>(async (c, t) =>
        {
            var agent = await c.ExecuteScalarAsync<string?>(
                "SELECT id FROM agents WHERE id = @agentId AND workspace_id = @ws", new { agentId = command.AgentId, ws = actor.WorkspaceId }, t);
            if (agent is null)
            {
                return new GrantMcpAccessResult.AgentNotFound(command.AgentId);
            }

            var grantId = Ids.New("mgr", time);
            var row = new
            {
                id = grantId, workspaceId = actor.WorkspaceId, agentId = agent, clientId = request.Client.Id, grantedBy = actor.UserId,
                scope = request.Scope, resource = request.Resource, now = time.Now(),
            };
            await c.ExecuteAsync(
                """
                INSERT INTO mcp_oauth_grants (id, workspace_id, agent_id, client_id, granted_by, scope, resource, created_at)
                VALUES (@id, @workspaceId, @agentId, @clientId, @grantedBy, @scope, @resource, @now)
                """, row, t);
            var code = await tokens.IssueAsync(c, t, grantId, McpOAuthTokenStore.Code, options.Value.CodeLifetime, request.CodeChallenge, request.RedirectUri);
            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "mcp_client.authorized", "mcp_client", grantId,
                new { agentId = agent, clientId = request.Client.Id, clientName = request.Client.Name, redirectUri = request.RedirectUri });
            return new GrantMcpAccessResult.Granted(grantId, code);
        }, ct);
    }
}
