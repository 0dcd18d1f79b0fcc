using Dapper;
using Portcullis.Connectors;
using Portcullis.Server.Features.Actions;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>The credential an agent may use: only one linked to it, of the action's provider, not deleted.</summary>
public sealed class CredentialSource(Database database, CredentialStore store) : ICredentialSource
{
    public async Task<CredentialSecrets?> ForAgentAsync(string workspaceId, string agentId, string provider, CancellationToken ct)
    {
        CredentialRow? row;
        await using (var c = await database.OpenAsync(ct))
        {
            row = await c.QueryFirstOrDefaultAsync<CredentialRow>(
                $"""
                SELECT {CredentialRow.Columns.Replace("id AS Id", "c.id AS Id", StringComparison.Ordinal).Replace("workspace_id AS", "c.workspace_id AS", StringComparison.Ordinal).Replace("created_at AS", "c.created_at AS", StringComparison.Ordinal)}
                FROM credentials c JOIN credential_links l ON l.credential_id = c.id
                WHERE l.agent_id = @agentId AND c.workspace_id = @workspaceId AND c.provider = @provider AND c.deleted_at IS NULL
                ORDER BY l.created_at LIMIT 1
                """, new { agentId, workspaceId, provider });
        }

        return row is null ? null : store.Open(row);
    }
}
