using Dapper;
using Portcullis.Connectors;
using Portcullis.Server.Features.Actions;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>The credential an agent may use: only one linked to it, of the action's provider, not deleted.</summary>
public sealed class CredentialSource(Database database, CredentialStore store) : ICredentialSource
{
    public async Task<CredentialSecrets?> ForAgentAsync(string workspaceId, string agentId, string provider, CancellationToken ct,
        string? credentialId = null)
    {
        CredentialRow? row;
        await using (var c = await database.OpenAsync(ct))
        {
            // The oldest link wins when several credentials of one provider are linked to the agent.
            row = await c.QueryFirstOrDefaultAsync<CredentialRow>(
                $"""
                SELECT {CredentialRow.Columns} FROM credentials
                WHERE id = (SELECT l.credential_id FROM credential_links l JOIN credentials k ON k.id = l.credential_id
                            WHERE l.agent_id = @agentId AND k.workspace_id = @workspaceId AND k.provider = @provider AND k.deleted_at IS NULL
                              AND (@credentialId IS NULL OR k.id = @credentialId)
                            ORDER BY l.created_at LIMIT 1)
                """, new { agentId, workspaceId, provider, credentialId });
        }

        return row is null ? null : store.Open(row);
    }
}
