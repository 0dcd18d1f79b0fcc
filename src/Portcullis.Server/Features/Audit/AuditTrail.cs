using System.Data.Common;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// Appends to the per-workspace hash chain. Always called inside the transaction that makes the
/// change it records, so the change and its audit entry commit together or not at all.
/// </summary>
public sealed class AuditTrail(Database database, TimeProvider time)
{
    public Task AppendAsync(DbConnection connection, DbTransaction transaction, string workspaceId, Actor actor,
        string action, string targetType, string targetId, object? details = null) =>
        AppendJsonAsync(connection, transaction, workspaceId, actor, action, targetType, targetId, AuditEntry.Json(details));

    /// <summary>Like <see cref="AppendAsync"/>, with the details already serialised by <see cref="AuditEntry.Json"/>.</summary>
    public async Task AppendJsonAsync(DbConnection connection, DbTransaction transaction, string workspaceId, Actor actor,
        string action, string targetType, string targetId, string json)
    {
        // INVARIANT: appends to one workspace's chain are serialised. SQLite already has a single
        // writer; on PostgreSQL the workspace row lock orders concurrent appends.
        await database.Dialect.LockRowAsync(connection, transaction, "workspaces", workspaceId);

        var last = await PreparedSql.FirstRowAsync(connection, transaction,
            "SELECT seq, hash FROM audit_entries WHERE workspace_id = @workspaceId ORDER BY seq DESC LIMIT 1", ("workspaceId", workspaceId));
        var seq = (last is null ? 0 : Convert.ToInt64(last[0], System.Globalization.CultureInfo.InvariantCulture)) + 1;
        var prevHash = last is null ? AuditEntry.GenesisHash : (byte[])last[1]!;
        var id = Ids.New("aud", time);
        var occurredAt = time.Now();
        var hash = AuditEntry.ComputeHash(prevHash, workspaceId, seq, id, occurredAt, actor.Type, actor.Id, action, targetType, targetId, json);
        await PreparedSql.ExecuteAsync(connection, transaction,
            """
            INSERT INTO audit_entries (workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash)
            VALUES (@workspaceId, @seq, @id, @occurredAt, @actorType, @actorId, @action, @targetType, @targetId, @json, @prevHash, @hash)
            """,
            ("workspaceId", workspaceId), ("seq", seq), ("id", id), ("occurredAt", occurredAt), ("actorType", actor.Type), ("actorId", actor.Id),
            ("action", action), ("targetType", targetType), ("targetId", targetId), ("json", json), ("prevHash", prevHash), ("hash", hash));
    }
}
