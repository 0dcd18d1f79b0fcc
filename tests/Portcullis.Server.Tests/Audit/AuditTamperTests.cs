using System.Text.Json.Nodes;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Audit;

/// <summary>
/// The 25 tampering variants of issue 13, each run against a chained, checkpointed workspace, each expected to be found
/// by <c>GET /api/audit/verify</c> at a named entry with a named reason. Entry 3 is the usual victim; N is the head.
/// The six the old chain missed are 20–25.
///  1 details edited                      → 3 hash_mismatch       14 two entries' seqs swapped          → 2 prev_hash_mismatch
///  2 action edited                       → 3 hash_mismatch       15 an entry moved to another workspace → 4 seq_gap
///  3 actor id edited                     → 3 hash_mismatch       16 an entry copied from another workspace → 3 prev_hash_mismatch
///  4 actor type edited                   → 3 hash_mismatch       17 an entry inserted with a valid link → 3 mac_mismatch
///  5 target id edited                    → 3 hash_mismatch       18 an entry rewritten with a fresh hash → 3 mac_mismatch
///  6 target type edited                  → 3 hash_mismatch       19 every entry downgraded to the unkeyed scheme and rehashed
///  7 time edited                         → 3 hash_mismatch                                            → N checkpoint_mismatch
///  8 id edited                           → 3 hash_mismatch       20 the tail (last two) truncated      → N-1 truncated
///  9 prev_hash edited                    → 3 prev_hash_mismatch  21 the last entry deleted             → N truncated
/// 10 hash edited                         → 3 hash_mismatch       22 an entry edited, it and every later hash recomputed → 3 mac_mismatch
/// 11 MAC edited                          → 3 mac_mismatch        23 a forged entry appended with a valid hash → N+1 mac_mismatch
/// 12 a middle entry deleted              → 4 seq_gap             24 type only: a number or boolean in details became a string → hash_mismatch
/// 13 the first entry deleted             → 2 seq_gap             25 type only: the time stored as a real number that reads back the same
///                                                                   (SQLite; PostgreSQL's bigint column refuses the change) → 3 type_mismatch
/// </summary>
public abstract class AuditTamperTests(ServerFixture server)
{
    private readonly AuditTamperFixture _t = new(server);

    public static TheoryData<string> Variants => new(
        "details_edited", "action_edited", "actor_id_edited", "actor_type_edited", "target_id_edited", "target_type_edited", "time_edited",
        "id_edited", "prev_hash_edited", "hash_edited", "mac_edited", "middle_deleted", "first_deleted", "seqs_swapped", "moved_to_other_workspace",
        "copied_from_other_workspace", "inserted_with_valid_link", "rewritten_with_fresh_hash", "downgraded_and_rehashed", "tail_truncated",
        "last_deleted", "edited_and_later_rehashed", "forged_appended", "detail_number_became_string", "time_stored_as_real");

    [Fact]
    public void The_list_has_the_25_variants_of_the_issue() => Assert.Equal(25, Variants.Count);

    [Fact]
    public async Task An_untouched_checkpointed_chain_verifies()
    {
        var ws = await _t.HistoryAsync();
        var report = await _t.VerifyAsync(ws);
        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Equal(1, report.GetProperty("checkpoints").GetInt64());
        Assert.Equal(0, report.GetProperty("pending").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Each_tampering_variant_is_found_at_its_entry(string variant)
    {
        var ws = await _t.HistoryAsync();
        var entries = await _t.EntriesAsync(ws);
        Assert.True(entries.Count >= 5);
        var expected = await TamperAsync(variant, ws, entries);
        if (expected is null)
        {
            return; // the store itself refused the change (see variant 25 on PostgreSQL)
        }

        var report = await _t.VerifyAsync(ws);
        Assert.False(report.GetProperty("ok").GetBoolean(), $"{variant} went unnoticed: {report}");
        var bad = report.GetProperty("firstBad");
        Assert.Equal(expected.Value.Reason, bad.GetProperty("reason").GetString());
        Assert.Equal(expected.Value.Seq, bad.GetProperty("seq").GetInt64());
    }

    private async Task<(long Seq, string Reason)?> TamperAsync(string variant, TestWorkspace ws, List<AuditEntry> entries)
    {
        var id = ws.WorkspaceId;
        var n = entries[^1].Seq;
        switch (variant)
        {
            case "details_edited": await Set3Async(id, "details = '{\"name\":\"harmless\"}'"); return (3, AuditVerifier.HashMismatch);
            case "action_edited": await Set3Async(id, "action = 'agent.deleted'"); return (3, AuditVerifier.HashMismatch);
            case "actor_id_edited": await Set3Async(id, "actor_id = 'someone-else'"); return (3, AuditVerifier.HashMismatch);
            case "actor_type_edited": await Set3Async(id, "actor_type = 'system'"); return (3, AuditVerifier.HashMismatch);
            case "target_id_edited": await Set3Async(id, "target_id = 'elsewhere'"); return (3, AuditVerifier.HashMismatch);
            case "target_type_edited": await Set3Async(id, "target_type = 'nothing'"); return (3, AuditVerifier.HashMismatch);
            case "time_edited": await Set3Async(id, "occurred_at = occurred_at - 86400000"); return (3, AuditVerifier.HashMismatch);
            case "id_edited": await Set3Async(id, "id = 'aud_forged'"); return (3, AuditVerifier.HashMismatch);
            case "prev_hash_edited": await _t.SqlAsync("UPDATE audit_entries SET prev_hash = @h WHERE workspace_id = @id AND seq = 3", new { h = AuditTamperFixture.Bytes(0x11), id }); return (3, AuditVerifier.PrevHashMismatch);
            case "hash_edited": await _t.SqlAsync("UPDATE audit_entries SET hash = @h WHERE workspace_id = @id AND seq = 3", new { h = AuditTamperFixture.Bytes(0x22), id }); return (3, AuditVerifier.HashMismatch);
            case "mac_edited": await _t.SqlAsync("UPDATE audit_entries SET mac = @h WHERE workspace_id = @id AND seq = 3", new { h = AuditTamperFixture.Bytes(0x33), id }); return (3, AuditVerifier.MacMismatch);
            case "middle_deleted": await DeleteAsync(id, "seq = 3"); return (4, AuditVerifier.SeqGap);
            case "first_deleted": await DeleteAsync(id, "seq = 1"); return (2, AuditVerifier.SeqGap);
            case "seqs_swapped": await SwapAsync(id); return (2, AuditVerifier.PrevHashMismatch);
            case "moved_to_other_workspace":
                var other = await _t.HistoryAsync(checkpoint: false);
                await _t.SqlAsync("UPDATE audit_entries SET workspace_id = @to, seq = 1000 WHERE workspace_id = @id AND seq = 3", new { to = other.WorkspaceId, id });
                return (4, AuditVerifier.SeqGap);
            case "copied_from_other_workspace":
                var source = (await _t.EntriesAsync(await _t.HistoryAsync(checkpoint: false)))[2];
                await DeleteAsync(id, "seq = 3");
                await _t.InsertAsync(AuditTamperFixture.With(source, seq: 3, workspaceId: id, id: "aud_copied"));
                return (3, AuditVerifier.PrevHashMismatch);
            case "inserted_with_valid_link": await InsertForgedAsync(id!, entries); return (3, AuditVerifier.MacMismatch);
            case "rewritten_with_fresh_hash": await _t.RelinkAsync(AuditTamperFixture.With(entries[2], action: "agent.deleted"), entries[2].PrevHash); return (3, AuditVerifier.MacMismatch);
            case "downgraded_and_rehashed": await _t.RehashFromAsync(entries, 0, AuditEntry.LegacyScheme, dropMac: true); return (n, AuditVerifier.CheckpointMismatch);
            case "tail_truncated": await DeleteAsync(id, "seq >= @from", n - 1); return (n - 1, AuditVerifier.Truncated);
            case "last_deleted": await DeleteAsync(id, "seq = @from", n); return (n, AuditVerifier.Truncated);
            case "edited_and_later_rehashed":
                entries[2] = AuditTamperFixture.With(entries[2], action: "agent.deleted");
                await _t.RehashFromAsync(entries, 2, AuditEntry.KeyedScheme, dropMac: false);
                return (3, AuditVerifier.MacMismatch);
            case "forged_appended": await AppendForgedAsync(entries); return (n + 1, AuditVerifier.MacMismatch);
            case "detail_number_became_string": return (await NumberToStringAsync(entries), AuditVerifier.HashMismatch);
            case "time_stored_as_real": return await TimeAsRealAsync(id!, entries[2]);
            default: throw new ArgumentOutOfRangeException(nameof(variant), variant, "no such variant");
        }
    }

    private Task Set3Async(string? id, string assignment) =>
        _t.SqlAsync($"UPDATE audit_entries SET {assignment} WHERE workspace_id = @id AND seq = 3", new { id });

    private Task DeleteAsync(string? id, string where, long from = 0) =>
        _t.SqlAsync($"DELETE FROM audit_entries WHERE workspace_id = @id AND {where}", new { id, from });

    private async Task SwapAsync(string? id)
    {
        await _t.SqlAsync("UPDATE audit_entries SET seq = -1 WHERE workspace_id = @id AND seq = 2", new { id });
        await _t.SqlAsync("UPDATE audit_entries SET seq = 2 WHERE workspace_id = @id AND seq = 3", new { id });
        await _t.SqlAsync("UPDATE audit_entries SET seq = 3 WHERE workspace_id = @id AND seq = -1", new { id });
    }

    // A new entry at seq 3 linked to entry 2 with a correct hash; the later entries renumbered and relinked to it.
    private async Task InsertForgedAsync(string id, List<AuditEntry> entries)
    {
        await _t.SqlAsync("UPDATE audit_entries SET seq = -(seq + 1) WHERE workspace_id = @id AND seq >= 3", new { id });
        await _t.SqlAsync("UPDATE audit_entries SET seq = -seq WHERE workspace_id = @id AND seq < 0", new { id });
        var forged = AuditTamperFixture.Forge(entries[1], 3, "aud_inserted");
        await _t.InsertAsync(forged);
        var chain = await _t.EntriesAsync(id);
        await _t.RehashFromAsync(chain, 3, AuditEntry.KeyedScheme, dropMac: false);
    }

    private async Task AppendForgedAsync(List<AuditEntry> entries) => await _t.InsertAsync(AuditTamperFixture.Forge(entries[^1], entries[^1].Seq + 1, "aud_appended"));

    // Rewrites the first number or boolean found in an entry's details as a string: a change of type only.
    private async Task<long> NumberToStringAsync(List<AuditEntry> entries)
    {
        foreach (var e in entries)
        {
            if (JsonNode.Parse(e.Details) is JsonObject details
                && details.FirstOrDefault(p => p.Value is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.Number
                    or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False) is { Key: { } key } found)
            {
                details[key] = found.Value!.ToJsonString();
                await _t.SqlAsync("UPDATE audit_entries SET details = @d WHERE workspace_id = @ws AND seq = @seq",
                    new { d = details.ToJsonString(), ws = e.WorkspaceId, seq = e.Seq });
                return e.Seq;
            }
        }

        throw new InvalidOperationException("no entry of the history has a number or boolean in its details");
    }

    private async Task<(long, string)?> TimeAsRealAsync(string id, AuditEntry third)
    {
        await _t.SqlAsync("UPDATE audit_entries SET occurred_at = occurred_at + 0.25 WHERE workspace_id = @id AND seq = 3", new { id });
        if (server.Provider == StorageProvider.Postgres)
        {
            // A bigint column cannot hold 0.25: the value is rounded back and nothing changed. The tamper is impossible here.
            Assert.Equal(third.OccurredAt, (await _t.EntriesAsync(id))[2].OccurredAt);
            return null;
        }

        return (3, AuditVerifier.TypeMismatch);
    }
}

public sealed class AuditTamperSqliteTests(SqliteServer s) : AuditTamperTests(s), IClassFixture<SqliteServer>;

public sealed class AuditTamperPostgresTests(PostgresServer s) : AuditTamperTests(s), IClassFixture<PostgresServer>;
