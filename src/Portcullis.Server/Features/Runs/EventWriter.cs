using System.Data.Common;
using Dapper;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Changes;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Runs;

/// <summary>Stores a batch of agent events atomically: all recorded, or none.</summary>
public sealed class EventWriter(Database database, TimeProvider time, IChangeFeed changes)
{
    public enum Outcome { Recorded, RunNotFound, RunEnded, SequenceConflict }

    public readonly record struct Result(Outcome Outcome, int Accepted = 0, int Duplicates = 0, long ConflictingSequenceNo = 0, string? RunStatus = null);

    public Task<Result> WriteAsync(string workspaceId, string agentId, string runId, IReadOnlyList<IncomingEvent> events, CancellationToken ct) =>
        database.WriteAsync(
            (c, t) => WriteInTransactionAsync(c, t, workspaceId, agentId, runId, events),
            result => result.Outcome == Outcome.Recorded,
            ct);

    private async Task<Result> WriteInTransactionAsync(DbConnection connection, DbTransaction transaction,
        string workspaceId, string agentId, string runId, IReadOnlyList<IncomingEvent> events)
    {
        // FOR SHARE holds off a concurrent run-end on PostgreSQL until this batch commits.
        var status = (string?)await PreparedSql.ScalarAsync(connection, transaction,
            "SELECT status FROM runs WHERE id = @runId AND agent_id = @agentId" + database.Dialect.ForShare,
            ("runId", runId), ("agentId", agentId));
        if (status is null)
        {
            return new(Outcome.RunNotFound);
        }

        if (!RunStatus.IsOpen(status))
        {
            return new(Outcome.RunEnded, RunStatus: status);
        }

        var now = time.Now();
        if (database.Dialect.Provider == StorageProvider.Postgres)
        {
            // A round trip per statement there: one statement for the batch. SQLite's prepared row insert is cheaper.
            return await PostgresEventInsert.WriteAsync(connection, transaction, workspaceId, runId, events, now);
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            """
            INSERT INTO timeline_entries (run_id, workspace_id, sequence_no, sort_seq, source, event_type, payload, occurred_at, recorded_at, content_hash)
            VALUES (@run, @ws, @seq, @seq, 'agent', @type, @payload, @occurred, @now, @hash)
            ON CONFLICT (run_id, sequence_no) DO NOTHING
            """;
        var seq = AddParameter(insert, "seq");
        var type = AddParameter(insert, "type");
        var payload = AddParameter(insert, "payload");
        var occurred = AddParameter(insert, "occurred");
        var hash = AddParameter(insert, "hash");
        AddParameter(insert, "run").Value = runId;
        AddParameter(insert, "ws").Value = workspaceId;
        AddParameter(insert, "now").Value = now;

        var accepted = 0;
        var duplicates = 0;
        foreach (var e in events)
        {
            var contentHash = e.ContentHash;
            seq.Value = e.SequenceNo;
            type.Value = e.EventType;
            payload.Value = (object?)e.Payload ?? DBNull.Value;
            occurred.Value = e.OccurredAt ?? now;
            hash.Value = contentHash;
            var inserted = await PreparedSql.ExecuteAsync(insert);
            if (inserted == 1)
            {
                accepted++;
                continue;
            }

            var stored = await connection.QueryFirstOrDefaultAsync<byte[]>(
                "SELECT content_hash FROM timeline_entries WHERE run_id = @runId AND sequence_no = @s",
                new { runId, s = e.SequenceNo }, transaction);
            if (stored is null || !stored.AsSpan().SequenceEqual(contentHash))
            {
                return new(Outcome.SequenceConflict, ConflictingSequenceNo: e.SequenceNo);
            }

            duplicates++;
        }

        if (accepted > 0)
        {
            changes.PublishOnCommit(transaction, ChangeTopics.Run, runId);
        }

        return new(Outcome.Recorded, accepted, duplicates);
    }

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        // Prefixed exactly as in the SQL: Microsoft.Data.Sqlite otherwise searches prefixes on every bind.
        parameter.ParameterName = "@" + name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
