using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Audit;

/// <summary>
/// Verifies each workspace's audit chain in <c>seq</c> order (see <see cref="ChainWalk"/>) and names the first entry
/// that breaks it. Pending entries are chained first, so a fresh append is never mistaken for a gap; any still pending
/// (appended while verifying) are reported as <c>pending</c>, not as tampering. Rows are streamed from one reader.
/// </summary>
public sealed class AuditVerifier(Database database, AuditKeys? keys = null, AuditChainer? chainer = null)
{
    public const string HashMismatch = "hash_mismatch";
    public const string PrevHashMismatch = "prev_hash_mismatch";
    public const string SeqGap = "seq_gap";
    public const string Missing = "missing";
    public const string MacMismatch = "mac_mismatch";
    public const string TypeMismatch = "type_mismatch";
    public const string SchemeDowngrade = "scheme_downgrade";
    public const string CheckpointMismatch = "checkpoint_mismatch";
    public const string CheckpointInvalid = "checkpoint_invalid";
    public const string Truncated = "truncated";

    public sealed record BadEntry(long Seq, string? Id, string Reason, string Detail);

    public sealed record WorkspaceReport(string WorkspaceId, bool Ok, long Entries, long HeadSeq, string? HeadHash, BadEntry? FirstBad,
        long Pending = 0, long Checkpoints = 0);

    public sealed record Report(bool Ok, long Entries, long ElapsedMs, IReadOnlyList<WorkspaceReport> Workspaces);

    private const string Select =
        "SELECT workspace_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash, scheme, key_id, mac";

    // SQLite stores any value in any column and converts on read: a seq kept as '3x' reads as 3. Checked, so the hash sees it.
    private const string SqliteTyped =
        "(typeof(seq) = 'integer' AND typeof(occurred_at) = 'integer' AND typeof(scheme) = 'integer' AND typeof(prev_hash) = 'blob' AND typeof(hash) = 'blob' " +
        "AND typeof(id) = 'text' AND typeof(actor_type) = 'text' AND typeof(actor_id) = 'text' AND typeof(action) = 'text' AND typeof(target_type) = 'text' " +
        "AND typeof(target_id) = 'text' AND typeof(details) = 'text' AND typeof(key_id) IN ('integer', 'null') AND typeof(mac) IN ('blob', 'null'))";

    /// <summary>Verifies one workspace, or every workspace when <paramref name="workspaceId"/> is null.</summary>
    public async Task<Report> VerifyAsync(string? workspaceId, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (chainer is not null)
        {
            await (workspaceId is null ? chainer.ChainAllAsync(ct) : chainer.ChainAsync(workspaceId, ct));
        }

        var checkpoints = (await AuditCheckpoints.ReadAsync(database, workspaceId, ct)).ToLookup(k => k.WorkspaceId, StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(ct);
        var workspaces = (await connection.QueryAsync<string>(
            workspaceId is null ? "SELECT id FROM workspaces ORDER BY id" : "SELECT id FROM workspaces WHERE id = @workspaceId",
            new { workspaceId })).ToList();
        var pending = (await connection.QueryAsync<(string, long)>(
            "SELECT workspace_id, COUNT(*) FROM audit_pending GROUP BY workspace_id")).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        var walks = new Dictionary<string, ChainWalk>(StringComparer.Ordinal);
        var typed = database.IsSqlite ? SqliteTyped : "1";
        await using (var reader = await connection.ExecuteReaderAsync(
            workspaceId is null ? $"{Select}, {typed} FROM audit_entries ORDER BY workspace_id, seq" : $"{Select}, {typed} FROM audit_entries WHERE workspace_id = @workspaceId ORDER BY seq",
            new { workspaceId }))
        {
            ChainWalk? walk = null;
            while (await reader.ReadAsync(ct))
            {
                var ws = reader.GetString(0);
                if (walk is null || !string.Equals(ws, walk.WorkspaceId, StringComparison.Ordinal))
                {
                    walks[ws] = walk = new ChainWalk(ws, keys is null ? null : keys.ChainKey, checkpoints[ws].ToList(), keys?.PublicKey, fromGenesis: true);
                }

                walk.Check(Read(reader), Convert.ToInt64(reader.GetValue(15), System.Globalization.CultureInfo.InvariantCulture) == 1);
            }
        }

        var all = workspaces.Concat(walks.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id => ToReport(id, walks.GetValueOrDefault(id), pending.GetValueOrDefault(id), checkpoints[id].Count())).ToList();
        return new Report(all.All(r => r.Ok), all.Sum(r => r.Entries), clock.ElapsedMilliseconds, all);
    }

    private static WorkspaceReport ToReport(string id, ChainWalk? walk, long pending, long checkpoints)
    {
        if (walk is null)
        {
            // Every workspace's chain begins with its `workspace.created` entry, so an empty chain means entries were removed.
            return new WorkspaceReport(id, false, 0, 0, null,
                new BadEntry(1, null, Missing, "the workspace has no audit entries; its chain must begin with `workspace.created`"), pending, checkpoints);
        }

        walk.Finish();
        return new WorkspaceReport(id, walk.FirstBad is null, walk.Entries, walk.HeadSeq, walk.Head is null ? null : AuditEntry.Hex(walk.Head),
            walk.FirstBad, pending, checkpoints);
    }

    // GetFieldValue, not GetBytes: Microsoft.Data.Sqlite serves GetBytes through an incremental blob handle opened per call.
    private static AuditEntry Read(DbDataReader row) => new()
    {
        WorkspaceId = row.GetString(0),
        Seq = row.GetInt64(1),
        Id = row.GetString(2),
        OccurredAt = row.GetInt64(3),
        ActorType = row.GetString(4),
        ActorId = row.GetString(5),
        Action = row.GetString(6),
        TargetType = row.GetString(7),
        TargetId = row.GetString(8),
        Details = row.GetString(9),
        PrevHash = row.GetFieldValue<byte[]>(10),
        Hash = row.GetFieldValue<byte[]>(11),
        Scheme = Convert.ToInt32(row.GetValue(12), System.Globalization.CultureInfo.InvariantCulture),
        KeyId = row.IsDBNull(13) ? null : Convert.ToInt32(row.GetValue(13), System.Globalization.CultureInfo.InvariantCulture),
        Mac = row.IsDBNull(14) ? null : row.GetFieldValue<byte[]>(14),
    };
}
