using System.Data.Common;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// Appends to a workspace's audit log. Always called inside the transaction that makes the change it records, so the
/// change and its entry commit together or not at all. The entry goes to <c>audit_pending</c> with no lock and no read
/// of the chain, so concurrent requests of one workspace do not wait on each other; <see cref="AuditChainer"/> gives it
/// its seq, hash and MAC moments later.
/// </summary>
public sealed class AuditTrail(TimeProvider time)
{
    public Task AppendAsync(DbConnection connection, DbTransaction transaction, string workspaceId, Actor actor,
        string action, string targetType, string targetId, object? details = null) =>
        AppendJsonAsync(connection, transaction, workspaceId, actor, action, targetType, targetId, AuditEntry.Json(details));

    /// <summary>Like <see cref="AppendAsync"/>, with the details already serialised by <see cref="AuditEntry.Json"/>.</summary>
    public Task AppendJsonAsync(DbConnection connection, DbTransaction transaction, string workspaceId, Actor actor,
        string action, string targetType, string targetId, string json) =>
        // Nothing reads audit_pending in the transaction that appends to it: on PostgreSQL the row rides with the next statement.
        PipelinedWrites.ExecuteAsync(connection, transaction,
            """
            INSERT INTO audit_pending (workspace_id, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details)
            VALUES (@workspaceId, @id, @occurredAt, @actorType, @actorId, @action, @targetType, @targetId, @json)
            """,
            ("workspaceId", workspaceId), ("id", Ids.New("aud", time)), ("occurredAt", time.Now()), ("actorType", actor.Type),
            ("actorId", actor.Id), ("action", action), ("targetType", targetType), ("targetId", targetId), ("json", json));
}
