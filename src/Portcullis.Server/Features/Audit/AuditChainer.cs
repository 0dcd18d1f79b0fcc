using System.Data.Common;
using System.Globalization;
using Dapper;
using Npgsql;
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
        var chained = new List<Chained>(pending.Count);
        foreach (var p in pending)
        {
            seq++;
            var hash = AuditEntry.Link(AuditEntry.KeyedScheme, prev, workspaceId, seq, p.Id, p.OccurredAt, p.ActorType, p.ActorId, p.Action,
                p.TargetType, p.TargetId, p.Details);
            chained.Add(new Chained(p, seq, prev, hash, AuditEntry.ComputeMac(key.Key, hash)));
            prev = hash;
        }

        await (connection is NpgsqlConnection
            ? WritePostgresAsync(connection, transaction, workspaceId, key.Version, chained)
            : WriteRowsAsync(connection, transaction, workspaceId, key.Version, chained));
        return pending.Count;
    }

    private sealed record Chained(Pending Entry, long Seq, byte[] Prev, byte[] Hash, byte[] Mac);

    private const string InsertColumns =
        "workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash, scheme, key_id, mac";

    // SQLite: a prepared statement per row, no round trips to save.
    private static async Task WriteRowsAsync(DbConnection connection, DbTransaction transaction, string workspaceId, int keyId, List<Chained> chained)
    {
        foreach (var (p, seq, prev, hash, mac) in chained)
        {
            await PreparedSql.ExecuteAsync(connection, transaction,
                $"""
                INSERT INTO audit_entries ({InsertColumns})
                VALUES (@workspaceId, @seq, @id, @occurredAt, @actorType, @actorId, @action, @targetType, @targetId, @details, @prev, @hash, @scheme, @keyId, @mac)
                """,
                ("workspaceId", workspaceId), ("seq", seq), ("id", p.Id), ("occurredAt", p.OccurredAt), ("actorType", p.ActorType),
                ("actorId", p.ActorId), ("action", p.Action), ("targetType", p.TargetType), ("targetId", p.TargetId), ("details", p.Details),
                ("prev", prev), ("hash", hash), ("scheme", AuditEntry.KeyedScheme), ("keyId", keyId), ("mac", mac));
            // By exact pos: a row another transaction commits meanwhile (a lower pos on PostgreSQL) stays pending for the next batch.
            await PreparedSql.ExecuteAsync(connection, transaction, "DELETE FROM audit_pending WHERE pos = @pos", ("pos", p.Pos));
        }
    }

    // PERFORMANCE: PostgreSQL takes the whole batch as two statements over arrays, held and sent with the COMMIT: one round trip,
    // where a statement per row and entry was, under load, most of the statements the database ran.
    private static async Task WritePostgresAsync(DbConnection connection, DbTransaction transaction, string workspaceId, int keyId, List<Chained> chained)
    {
        await PipelinedWrites.ExecuteAsync(connection, transaction,
            $"""
            INSERT INTO audit_entries ({InsertColumns})
            SELECT @workspaceId, e.seq, e.id, e.occurred_at, e.actor_type, e.actor_id, e.action, e.target_type, e.target_id, e.details,
                   e.prev_hash, e.hash, @scheme, @keyId, e.mac
            FROM unnest(@seqs, @ids, @occurredAts, @actorTypes, @actorIds, @actions, @targetTypes, @targetIds, @details, @prevs, @hashes, @macs)
                AS e(seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash, mac)
            """,
            ("workspaceId", workspaceId), ("scheme", AuditEntry.KeyedScheme), ("keyId", keyId),
            ("seqs", chained.Select(c => c.Seq).ToArray()), ("ids", chained.Select(c => c.Entry.Id).ToArray()),
            ("occurredAts", chained.Select(c => c.Entry.OccurredAt).ToArray()), ("actorTypes", chained.Select(c => c.Entry.ActorType).ToArray()),
            ("actorIds", chained.Select(c => c.Entry.ActorId).ToArray()), ("actions", chained.Select(c => c.Entry.Action).ToArray()),
            ("targetTypes", chained.Select(c => c.Entry.TargetType).ToArray()), ("targetIds", chained.Select(c => c.Entry.TargetId).ToArray()),
            ("details", chained.Select(c => c.Entry.Details).ToArray()), ("prevs", chained.Select(c => c.Prev).ToArray()),
            ("hashes", chained.Select(c => c.Hash).ToArray()), ("macs", chained.Select(c => c.Mac).ToArray()));
        // By exact pos: a row another transaction commits meanwhile (a lower pos) stays pending for the next batch.
        await PipelinedWrites.ExecuteAsync(connection, transaction, "DELETE FROM audit_pending WHERE pos = ANY(@positions)",
            ("positions", chained.Select(c => c.Entry.Pos).ToArray()));
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
