using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Runs;

/// <summary>Writes the server's own entries into a run's timeline.</summary>
public sealed class Timeline(TimeProvider time)
{
    public const string SourceAgent = "agent";
    public const string SourceSystem = "system";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Appends a system entry. It takes no agent sequence number; it sorts after the highest agent
    /// sequence number written so far, so it appears where it happened relative to the agent's events.
    /// </summary>
    public Task AppendSystemAsync(DbConnection connection, DbTransaction transaction, string workspaceId, string runId,
        string eventType, object? payload)
    {
        var now = time.Now();
        return connection.ExecuteAsync(
            """
            INSERT INTO timeline_entries (run_id, workspace_id, sequence_no, sort_seq, source, event_type, payload, occurred_at, recorded_at)
            VALUES (@runId, @workspaceId, NULL,
                    (SELECT COALESCE(MAX(sequence_no), 1) FROM timeline_entries WHERE run_id = @runId),
                    'system', @eventType, @payload, @now, @now)
            """,
            new { runId, workspaceId, eventType, payload = payload is null ? null : JsonSerializer.Serialize(payload, Json), now },
            transaction);
    }
}
