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
        string eventType, string? payloadJson)
    {
        var now = time.Now();
        // The run's live view (on any instance) shows the entry once it has committed.
        changes.PublishOnCommit(transaction, ChangeTopics.Run, runId);
        // Nothing reads a system entry back in the transaction that writes it: on PostgreSQL it rides with the next statement.
        return PipelinedWrites.ExecuteAsync(connection, transaction,
            """
            INSERT INTO timeline_entries (run_id, workspace_id, sequence_no, sort_seq, source, event_type, payload, occurred_at, recorded_at)
            VALUES (@runId, @workspaceId, NULL,
                    COALESCE((SELECT sequence_no FROM timeline_entries WHERE run_id = @runId AND sequence_no IS NOT NULL
                              ORDER BY sequence_no DESC LIMIT 1), 1),
                    'system', @eventType, @payload, @now, @now)
            """,
            ("runId", runId), ("workspaceId", workspaceId), ("eventType", eventType),
            ("payload", payloadJson), ("now", now));
    }
}
