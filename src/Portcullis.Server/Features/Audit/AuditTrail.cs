using System.Data.Common;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// Appends to the per-workspace hash chain. Always called inside the transaction that makes the
/// change it records, so the change and its audit entry commit together or not at all.
/// </summary>
public sealed class AuditTrail(Database database, TimeProvider time)
{
    public async Task AppendAsync(DbConnection connection, DbTransaction transaction, string workspaceId, Actor actor,
        string action, string targetType, string targetId, object? details = null)
    {
        // INVARIANT: appends to one workspace's chain are serialised. SQLite already has a single
        // writer; on PostgreSQL the workspace row lock orders concurrent appends.
        if (!database.IsSqlite)
        {
            await connection.ExecuteAsync("SELECT id FROM workspaces WHERE id = @workspaceId FOR NO KEY UPDATE", new { workspaceId }, transaction);
        }

        var last = await connection.QueryFirstOrDefaultAsync<ChainHead>(
            "SELECT seq AS Seq, hash AS Hash FROM audit_entries WHERE workspace_id = @workspaceId ORDER BY seq DESC LIMIT 1",
            new { workspaceId }, transaction);
        var seq = (last?.Seq ?? 0) + 1;
        var prevHash = last?.Hash ?? AuditEntry.GenesisHash;
        var id = Ids.New("aud", time);
        var occurredAt = time.Now();
        var json = AuditEntry.Json(details);
        var hash = AuditEntry.ComputeHash(prevHash, workspaceId, seq, id, occurredAt, actor.Type, actor.Id, action, targetType, targetId, json);
        await connection.ExecuteAsync(
            """
            INSERT INTO audit_entries (workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash)
            VALUES (@workspaceId, @seq, @id, @occurredAt, @actorType, @actorId, @action, @targetType, @targetId, @json, @prevHash, @hash)
            """,
            new { workspaceId, seq, id, occurredAt, actorType = actor.Type, actorId = actor.Id, action, targetType, targetId, json, prevHash, hash },
            transaction);
    }

    private sealed class ChainHead
    {
        public long Seq { get; init; }
        public byte[] Hash { get; init; } = [];
    }
}
