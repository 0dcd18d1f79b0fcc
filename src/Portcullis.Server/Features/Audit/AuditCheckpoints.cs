using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Audit;

/// <summary>Creates and reads signed checkpoints of workspace chains (on demand, and periodically by the chain worker).</summary>
public sealed class AuditCheckpoints(Database database, AuditChainer chainer, AuditKeys keys, TimeProvider time)
{
    private const string Columns =
        "id AS Id, workspace_id AS WorkspaceId, seq AS Seq, hash AS Hash, created_at AS CreatedAt, public_key_id AS PublicKeyId, signature AS Signature";

    /// <summary>Signs the workspace's current head (after chaining what is pending); null when its chain is empty.</summary>
    public async Task<AuditCheckpoint?> CreateAsync(string workspaceId, CancellationToken ct)
    {
        await chainer.ChainAsync(workspaceId, ct);
        return await database.WriteAsync(async (c, t) =>
        {
            var head = await c.QueryFirstOrDefaultAsync<Head>(
                "SELECT seq AS Seq, hash AS Hash FROM audit_entries WHERE workspace_id = @workspaceId ORDER BY seq DESC LIMIT 1", new { workspaceId }, t);
            if (head is null)
            {
                return null;
            }

            var createdAt = time.Now();
            var statement = AuditCheckpoint.StatementOf(workspaceId, head.Seq, head.Hash, createdAt);
            var checkpoint = new AuditCheckpoint(Ids.New("acp", time), workspaceId, head.Seq, head.Hash, createdAt, keys.PublicKeyId, keys.Sign(statement));
            await c.ExecuteAsync(
                """
                INSERT INTO audit_checkpoints (id, workspace_id, seq, hash, created_at, public_key_id, signature)
                VALUES (@Id, @WorkspaceId, @Seq, @Hash, @CreatedAt, @PublicKeyId, @Signature)
                """, checkpoint, t);
            return checkpoint;
        }, ct);
    }

    /// <summary>Checkpoints every workspace whose chain moved past its last checkpoint; returns how many were made.</summary>
    public async Task<int> CreateWhereMovedAsync(CancellationToken ct)
    {
        await chainer.ChainAllAsync(ct);
        var moved = await database.ReadAsync(c => c.QueryAsync<string>(
            """
            SELECT e.workspace_id FROM audit_entries e GROUP BY e.workspace_id
            HAVING MAX(e.seq) > COALESCE((SELECT MAX(k.seq) FROM audit_checkpoints k WHERE k.workspace_id = e.workspace_id), 0)
            """), ct);
        var made = 0;
        foreach (var workspaceId in moved)
        {
            made += await CreateAsync(workspaceId, ct) is null ? 0 : 1;
        }

        return made;
    }

    /// <summary>A workspace's checkpoints (every workspace's when null), oldest first, optionally within a seq range.</summary>
    public Task<List<AuditCheckpoint>> ListAsync(string? workspaceId, CancellationToken ct, long fromSeq = 0, long toSeq = long.MaxValue) =>
        ReadAsync(database, workspaceId, ct, fromSeq, toSeq);

    /// <summary>Reads checkpoints with no keys at hand (the verifier checks their signatures itself).</summary>
    public static async Task<List<AuditCheckpoint>> ReadAsync(Database database, string? workspaceId, CancellationToken ct, long fromSeq = 0,
        long toSeq = long.MaxValue)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<Row>(
            $"SELECT {Columns} FROM audit_checkpoints WHERE {(workspaceId is null ? "" : "workspace_id = @workspaceId AND ")}seq >= @fromSeq AND seq <= @toSeq " +
            "ORDER BY workspace_id, seq, created_at", new { workspaceId, fromSeq, toSeq }), ct);
        return rows.Select(r => new AuditCheckpoint(r.Id, r.WorkspaceId, r.Seq, r.Hash, r.CreatedAt, r.PublicKeyId, r.Signature)).ToList();
    }

    private sealed class Head
    {
        public long Seq { get; init; }
        public byte[] Hash { get; init; } = [];
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string WorkspaceId { get; init; } = "";
        public long Seq { get; init; }
        public byte[] Hash { get; init; } = [];
        public long CreatedAt { get; init; }
        public string PublicKeyId { get; init; } = "";
        public byte[] Signature { get; init; } = [];
    }
}
