using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Agents;

/// <summary>Revoke one key of one of the actor's workspace's agents. Revoking twice is harmless: the first revocation time stays.</summary>
public sealed record RevokeAgentKeyCommand(Member Actor, string AgentId, string KeyId);

public abstract record RevokeAgentKeyResult
{
    private RevokeAgentKeyResult()
    {
    }

    public sealed record Revoked : RevokeAgentKeyResult;

    /// <summary>No such key of that agent in the actor's workspace.</summary>
    public sealed record KeyNotFound(string AgentId, string KeyId) : RevokeAgentKeyResult;
}

/// <summary>Revoking an agent key: the one use case behind <c>DELETE /api/agents/{id}/keys/{keyId}</c> and the dashboard's Revoke button.</summary>
public sealed class RevokeAgentKey(Database database, AuditTrail audit, TimeProvider time)
{
    public async Task<RevokeAgentKeyResult> ExecuteAsync(RevokeAgentKeyCommand command, CancellationToken ct)
    {
        var (ws, agentId, keyId) = (command.Actor.WorkspaceId, command.AgentId, command.KeyId);
        return await database.WriteAsync<RevokeAgentKeyResult>(async (c, t) =>
        {
            var exists = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM agent_keys WHERE id = @keyId AND agent_id = @agentId AND workspace_id = @ws", new { keyId, agentId, ws }, t);
            if (exists == 0)
            {
                return new RevokeAgentKeyResult.KeyNotFound(agentId, keyId);
            }

            var changed = await c.ExecuteAsync(
                "UPDATE agent_keys SET revoked_at = @now WHERE id = @keyId AND revoked_at IS NULL", new { now = time.Now(), keyId }, t);
            if (changed > 0)
            {
                await audit.AppendAsync(c, t, ws, Actor.User(command.Actor.UserId), "agent_key.revoked", "agent_key", keyId, new { agentId });
            }

            return new RevokeAgentKeyResult.Revoked();
        }, ct);
    }
}
