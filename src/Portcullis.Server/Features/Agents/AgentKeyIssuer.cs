using System.Data.Common;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Security;

namespace Portcullis.Server.Features.Agents;

/// <summary>Creates agent API keys: random (or supplied at first start), stored only as a hash.</summary>
public sealed class AgentKeyIssuer(SecretHasher hasher, TimeProvider time)
{
    public async Task<CreatedAgentKeyDto> IssueAsync(DbConnection connection, DbTransaction transaction,
        string workspaceId, string agentId, string name, string? givenKey = null)
    {
        var key = givenKey ?? SecretTokens.NewAgentKey();
        var lookup = SecretTokens.LookupOf(key, "pk_", SecretTokens.AgentKeyLookupLength)
            ?? throw new ArgumentException("an agent key must start with `pk_`, be 24 to 256 printable characters", nameof(givenKey));
        var salt = SecretHasher.NewSalt();
        var id = Ids.New("key", time);
        var now = time.Now();
        await connection.ExecuteAsync(
            """
            INSERT INTO agent_keys (id, workspace_id, agent_id, name, lookup, salt, hash, created_at)
            VALUES (@id, @workspaceId, @agentId, @name, @lookup, @salt, @hash, @now)
            """,
            new { id, workspaceId, agentId, name, lookup, salt, hash = hasher.Hash(key, salt), now }, transaction);
        return new CreatedAgentKeyDto(id, name, lookup, key, Times.ToIso(now));
    }
}
