using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Portcullis.Storage;

namespace Portcullis.Bench;

/// <summary>
/// The baseline: the same timeline rows inserted straight into a SQLite file with Portcullis's schema,
/// same pragmas as the server's writer connection (WAL, synchronous=NORMAL, foreign keys on), one transaction
/// per batch and a prepared statement, row values computed beforehand.
/// This is the fastest the server could possibly store them.
/// </summary>
public static class RawSqliteInsert
{
    public static double RowsPerSecond(int batch, TimeSpan duration)
    {
        var directory = Directory.CreateTempSubdirectory("portcullis-raw-").FullName;
        try
        {
            using var database = new Database(StorageProvider.Sqlite, Database.SqliteConnectionStringFor(directory));
            MigrationRunner.ApplyAsync(database).GetAwaiter().GetResult();
            // The same connection settings as the server's writer: WAL, synchronous=NORMAL, foreign_keys=ON.
            using var connection = (SqliteConnection)database.OpenForWriteAsync().GetAwaiter().GetResult();
            Exec(connection, "INSERT INTO workspaces (id, name, created_at) VALUES ('ws_raw', 'raw', 0)");
            Exec(connection, "INSERT INTO agents (id, workspace_id, name, created_at) VALUES ('agt_raw', 'ws_raw', 'raw', 0)");
            Exec(connection, "INSERT INTO runs (id, workspace_id, agent_id, status, trigger_type, started_at) VALUES ('run_raw', 'ws_raw', 'agt_raw', 'running', 'bench', 0)");

            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(EventFactory.EventType + "\0" + EventFactory.Payload + "\0"));
            using var insert = connection.CreateCommand();
            insert.CommandText =
                """
                INSERT INTO timeline_entries (run_id, workspace_id, sequence_no, sort_seq, source, event_type, payload, occurred_at, recorded_at, content_hash)
                VALUES ('run_raw', 'ws_raw', $seq, $seq, 'agent', $type, $payload, $now, $now, $hash)
                ON CONFLICT (run_id, sequence_no) DO NOTHING
                """;
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            insert.Parameters.AddWithValue("$type", EventFactory.EventType);
            insert.Parameters.AddWithValue("$payload", EventFactory.Payload);
            insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$hash", hash);
            insert.Prepare();

            long rows = 0;
            long next = 2;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                for (var i = 0; i < batch; i++)
                {
                    seq.Value = next++;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
                rows += batch;
            }

            return rows / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
