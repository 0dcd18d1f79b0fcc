using Portcullis.Server.Features.Audit;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>
/// RFC 7009 revocation by the client itself (signing out): a refresh token revokes its whole grant, an access token just
/// itself. An unknown token, or another client's, changes nothing, and the answer is the same either way (§2.2).
/// </summary>
public sealed class RevokeMcpToken(Database database, McpOAuthTokenStore tokens, AuditTrail audit)
{
    public Task ExecuteAsync(string? token, string? clientId, CancellationToken ct) =>
        database.WriteAsync(async (c, t) =>
        {
            var kind = token?.StartsWith(McpOAuthTokenStore.PrefixOf(McpOAuthTokenStore.Refresh), StringComparison.Ordinal) == true
                ? McpOAuthTokenStore.Refresh
                : McpOAuthTokenStore.Access;
            var row = await tokens.FindAsync(c, t, token, kind);
            if (row is null || row.ClientId != clientId)
            {
                return;
            }

            if (kind == McpOAuthTokenStore.Access)
            {
                await tokens.SpendAsync(c, t, row.Id);
            }
            else if (await tokens.RevokeGrantAsync(c, t, row.GrantId, "client"))
            {
                await audit.AppendAsync(c, t, row.WorkspaceId, Actor.System, "mcp_client.revoked", "mcp_client", row.GrantId,
                    new { agentId = row.AgentId, clientId, reason = "revoked_by_client" });
            }
        }, ct);
}
