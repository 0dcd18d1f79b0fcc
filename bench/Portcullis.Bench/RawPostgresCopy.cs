using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Portcullis.Bench;

/// <summary>
/// The PostgreSQL baseline: the same timeline rows stored straight into the server's own database (its schema, its
/// indexes) by the fastest plain means, binary <c>COPY</c> through Npgsql on one connection, one transaction per batch,
/// row values computed beforehand. Run once the server is idle, so the two do not share the machine.
/// </summary>
public static class RawPostgresCopy
{
    public static async Task<double> RowsPerSecondAsync(string connectionString, int batch, TimeSpan duration)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (workspace, run) = ("ws_raw_" + suffix, "run_raw_" + suffix);
        await using (var setup = new NpgsqlCommand(
            $"""
            INSERT INTO workspaces (id, name, created_at) VALUES ('{workspace}', 'raw {suffix}', 0);
            INSERT INTO agents (id, workspace_id, name, created_at) VALUES ('agt_raw_{suffix}', '{workspace}', 'raw', 0);
            INSERT INTO runs (id, workspace_id, agent_id, status, trigger_type, started_at) VALUES ('{run}', '{workspace}', 'agt_raw_{suffix}', 'running', 'bench', 0);
            """, connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(EventFactory.EventType + "\0" + EventFactory.Payload + "\0"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long rows = 0;
        long next = 2;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY timeline_entries (run_id, workspace_id, sequence_no, sort_seq, source, event_type, payload, occurred_at, recorded_at, content_hash) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < batch; i++, next++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(run, NpgsqlDbType.Text);
                    await copy.WriteAsync(workspace, NpgsqlDbType.Text);
                    await copy.WriteAsync(next, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(next, NpgsqlDbType.Bigint);
                    await copy.WriteAsync("agent", NpgsqlDbType.Text);
                    await copy.WriteAsync(EventFactory.EventType, NpgsqlDbType.Text);
                    await copy.WriteAsync(EventFactory.Payload, NpgsqlDbType.Text);
                    await copy.WriteAsync(now, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(now, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
                }

                await copy.CompleteAsync();
            }

            await transaction.CommitAsync();
            rows += batch;
        }

        return rows / clock.Elapsed.TotalSeconds;
    }
}
