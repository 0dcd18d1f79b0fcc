using System.Data.Common;
using System.Globalization;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// Moves appended entries from <c>audit_pending</c> into a workspace's chain, in append (<c>pos</c>) order: each gets
/// the next seq, its link hash and the MAC under the current chain key. One chainer per workspace at a time: on
/// PostgreSQL an advisory lock on the workspace's name (so one instance chains it), on SQLite the single writer. A batch
/// is one transaction, so after a crash every entry is either still pending or chained, never both or lost.
/// </summary>
public sealed class AuditChainer(Database database, AuditKeys keys)
{
    private const int Batch = 500;

    /// <summary>Chains every workspace with pending entries; returns how many entries were chained.</summary>
    public async Task<int> ChainAllAsync(CancellationToken ct = default)
    {
        var workspaces = await database.ReadAsync(c => c.QueryAsync<string>("SELECT DISTINCT workspace_id FROM audit_pending"), ct);
        var chained = 0;
        foreach (var workspaceId in workspaces)
        {
            chained += await ChainAsync(workspaceId, ct);
        }

        return chained;
    }

    /// <summary>Chains one workspace's pending entries (readers call this first, so what they read is chained).</summary>
    public async Task<int> ChainAsync(string workspaceId, CancellationToken ct = default)
    {
        var total = 0;
        while (true)
        {
            var moved = await database.WriteAsync((c, t) => ChainBatchAsync(c, t, workspaceId), ct);
            total += moved;
            if (moved < Batch)
            {
                return total;
            }
        }
    }

    private async Task<int> ChainBatchAsync(DbConnection connection, DbTransaction transaction, string workspaceId)
    {
        await database.Dialect.LockNameAsync(connection, transaction, "audit-chain:" + workspaceId);
        var pending = (await connection.QueryAsync<Pending>(
            """
            SELECT pos AS Pos, id AS Id, occurred_at AS OccurredAt, actor_type AS ActorType, actor_id AS ActorId, action AS Action,
                   target_type AS TargetType, target_id AS TargetId, details AS Details
            FROM audit_pending WHERE workspace_id = @workspaceId ORDER BY pos LIMIT @batch
            """, new { workspaceId, batch = Batch }, transaction)).ToList();
        if (pending.Count == 0)
        {
            return 0;
        }

        var head = await PreparedSql.FirstRowAsync(connection, transaction,
            "SELECT seq, hash FROM audit_entries WHERE workspace_id = @workspaceId ORDER BY seq DESC LIMIT 1", ("workspaceId", workspaceId));
        var seq = head is null ? 0 : Convert.ToInt64(head[0], CultureInfo.InvariantCulture);
        var prev = head is null ? AuditEntry.GenesisHash : (byte[])head[1]!;
        var key = keys.Current;
        // PERFORMANCE: the rows and deletes are held and sent with the commit (PipelinedWrites): on PostgreSQL one round trip
        // for the batch instead of two per entry, which under load were most of the database's statements.
        foreach (var p in pending)
        {
            seq++;
            var hash = AuditEntry.Link(AuditEntry.KeyedScheme, prev, workspaceId, seq, p.Id, p.OccurredAt, p.ActorType, p.ActorId, p.Action,
                p.TargetType, p.TargetId, p.Details);
            await PipelinedWrites.ExecuteAsync(connection, transaction,
                """
                INSERT INTO audit_entries (workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details,
                                           prev_hash, hash, scheme, key_id, mac)
                VALUES (@workspaceId, @seq, @id, @occurredAt, @actorType, @actorId, @action, @targetType, @targetId, @details, @prev, @hash, @scheme, @keyId, @mac)
                """,
                ("workspaceId", workspaceId), ("seq", seq), ("id", p.Id), ("occurredAt", p.OccurredAt), ("actorType", p.ActorType),
                ("actorId", p.ActorId), ("action", p.Action), ("targetType", p.TargetType), ("targetId", p.TargetId), ("details", p.Details),
                ("prev", prev), ("hash", hash), ("scheme", AuditEntry.KeyedScheme), ("keyId", key.Version), ("mac", AuditEntry.ComputeMac(key.Key, hash)));
            // By exact pos: a row another transaction commits meanwhile (a lower pos on PostgreSQL) stays pending for the next batch.
            await PipelinedWrites.ExecuteAsync(connection, transaction, "DELETE FROM audit_pending WHERE pos = @pos", ("pos", p.Pos));
            prev = hash;
        }

        return pending.Count;
    }

    private sealed class Pending
    {
        public long Pos { get; init; }
        public string Id { get; init; } = "";
        public long OccurredAt { get; init; }
        public string ActorType { get; init; } = "";
        public string ActorId { get; init; } = "";
        public string Action { get; init; } = "";
        public string TargetType { get; init; } = "";
        public string TargetId { get; init; } = "";
        public string Details { get; init; } = "{}";
    }
}
