using System.Data.Common;
using System.Text.Json;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Changes;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Runs;

/// <summary>Writes the server's own entries into a run's timeline.</summary>
public sealed class Timeline(TimeProvider time, IChangeFeed changes)
{
    public const string SourceAgent = "agent";
    public const string SourceSystem = "system";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Appends a system entry. It takes no agent sequence number; it sorts after the highest agent
    /// sequence number written so far, so it appears where it happened relative to the agent's events.
    /// (ORDER BY … LIMIT 1 walks the (run_id, sequence_no) index backwards: one step, where MAX() with a
    /// WHERE clause would scan every entry of the run.)
    /// </summary>
    public Task AppendSystemAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string runId,
        string eventType, object? payload) =>
        AppendSystemJsonAsync(connection, transaction, workspaceId, runId, eventType, payload is null ? null : Serialize(payload));

    /// <summary>The payload as the timeline stores it; callers on the hot path serialise before entering the writer.</summary>
    public static string Serialize(object payload) => JsonSerializer.Serialize(payload, Json);

    /// <summary>Like <see cref="AppendSystemAsync"/>, with the payload already serialised by <see cref="Serialize"/>.</summary>
    public Task AppendSystemJsonAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string runId,
        string eventType, string? payloadJson) =>
        AppendSystemJsonAsync(connection, transaction, workspaceId, runId, [(eventType, payloadJson)]);

    /// <summary>
    /// Appends several system entries in order, as one statement (PERFORMANCE: on PostgreSQL each statement costs the
    /// database about as much again as the row it writes; a decision's entries are written together).
    /// </summary>
    public Task AppendSystemJsonAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string runId,
        IReadOnlyList<(string EventType, string? PayloadJson)> entries)
    {
        var now = time.Now();
        // The run's live view (on any instance) shows the entry once it has committed.
        changes.PublishOnCommit(transaction, ChangeTopics.Run, runId);
        var args = new (string, object?)[3 + (2 * entries.Count)];
        (args[0], args[1], args[2]) = (("runId", runId), ("workspaceId", workspaceId), ("now", now));
        for (var i = 0; i < entries.Count; i++)
        {
            args[3 + (2 * i)] = ("type" + i, entries[i].EventType);
            args[4 + (2 * i)] = ("payload" + i, entries[i].PayloadJson);
        }

        // Nothing reads a system entry back in the transaction that writes it: on PostgreSQL it rides with the next statement.
        return PipelinedWrites.ExecuteAsync(connection, transaction, InsertSql(entries.Count), args);
    }

    // The statements for one to four entries, built once.
    private static readonly string[] Inserts = [.. Enumerable.Range(1, 4).Select(BuildInsert)];

    private static string InsertSql(int count) => count >= 1 && count <= Inserts.Length ? Inserts[count - 1] : BuildInsert(count);

    // The rows come in the listed order (ORDER BY n), so their ids, which break ties of sort_seq, keep it.
    private static string BuildInsert(int count) => count == 1
        ? """
          INSERT INTO timeline_entries (run_id, workspace_id, sequence_no, sort_seq, source, event_type, payload, occurred_at, recorded_at)
          VALUES (@runId, @workspaceId, NULL,
                  COALESCE((SELECT sequence_no FROM timeline_entries WHERE run_id = @runId AND sequence_no IS NOT NULL
                            ORDER BY sequence_no DESC LIMIT 1), 1),
                  'system', @type0, @payload0, @now, @now)
          """
        : $"""
        INSERT INTO timeline_entries (run_id, workspace_id, sequence_no, sort_seq, source, event_type, payload, occurred_at, recorded_at)
        SELECT @runId, @workspaceId, NULL, s.sort_seq, 'system', e.event_type, e.payload, @now, @now
        FROM (SELECT COALESCE((SELECT sequence_no FROM timeline_entries WHERE run_id = @runId AND sequence_no IS NOT NULL
                               ORDER BY sequence_no DESC LIMIT 1), 1) AS sort_seq) s
        CROSS JOIN ({string.Join(" UNION ALL ", Enumerable.Range(0, count).Select(i => $"SELECT {i} AS n, @type{i} AS event_type, @payload{i} AS payload"))}) e
        ORDER BY e.n
        """;
}
