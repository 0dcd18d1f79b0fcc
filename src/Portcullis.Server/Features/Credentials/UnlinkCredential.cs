using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>Stop an agent of the actor's workspace from using one of its credentials; the credential itself stays.</summary>
public sealed record UnlinkCredentialCommand(Member Actor, string CredentialId, string AgentId);

public abstract record UnlinkCredentialResult
{
    private UnlinkCredentialResult()
    {
    }

    public sealed record Unlinked : UnlinkCredentialResult;

    /// <summary>That credential is not linked to that agent in the actor's workspace (or either does not exist).</summary>
    public sealed record LinkNotFound(string CredentialId, string AgentId) : UnlinkCredentialResult;
}

/// <summary>Unlinking a credential: the one use case behind <c>DELETE /api/credentials/{id}/links/{agentId}</c> and the dashboard's Disconnect button.</summary>
public sealed class UnlinkCredential(Database database, AuditTrail audit)
{
    public async Task<UnlinkCredentialResult> ExecuteAsync(UnlinkCredentialCommand command, CancellationToken ct)
    {
        var (ws, id, agentId) = (command.Actor.WorkspaceId, command.CredentialId, command.AgentId);
        var removed = await database.WriteAsync(async (c, t) =>
        {
            var n = await c.ExecuteAsync("DELETE FROM credential_links WHERE credential_id = @id AND agent_id = @agentId AND workspace_id = @ws",
                new { id, agentId, ws }, t);
            if (n > 0)
            {
                await audit.AppendAsync(c, t, ws, Actor.User(command.Actor.UserId), "credential.unlinked", "credential", id, new { agentId });
            }

            return n > 0;
        }, ct);
        return removed ? new UnlinkCredentialResult.Unlinked() : new UnlinkCredentialResult.LinkNotFound(id, agentId);
    }
}
