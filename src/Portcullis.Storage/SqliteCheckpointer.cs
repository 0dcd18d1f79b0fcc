using Microsoft.Data.Sqlite;

namespace Portcullis.Storage;

/// <summary>
/// Moves SQLite's WAL checkpoints off the writer. Left to itself, the writer checkpoints inside a commit
/// whenever the WAL passes 1,000 pages, and that commit (with every caller in its group) waits for the
/// copy and its fsync. Here a background connection runs a PASSIVE checkpoint five times a second, which
/// never blocks readers or the writer; the writer keeps a far higher automatic threshold as a safety net.
/// (Once a second let the WAL outgrow that threshold at ~3,000 actions/s, and the writer's own checkpoints
/// showed up as 40–50 ms p99 latencies.)
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>The writer's own checkpoint threshold, in pages (≈ 40 MB): reached only if this loop stalls.</summary>
    public const int WriterAutoCheckpointPages = 10_000;

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SqliteCheckpointer(string connectionString)
        : this(connectionString, DefaultInterval)
    {
    }

    internal SqliteCheckpointer(string connectionString, TimeSpan interval) =>
        _loop = Task.Run(() => RunAsync(connectionString, interval, _stop.Token));

    private static async Task RunAsync(string connectionString, TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        while (await NextAsync(timer, ct))
        {
            try
            {
                await using var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                await command.ExecuteNonQueryAsync(ct);
            }
            catch (SqliteException)
            {
                // Busy or locked this time round: the next tick tries again, and the writer's own
                // threshold still bounds the WAL.
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Disposed mid-checkpoint: shutting down is not an error (it used to surface from DisposeAsync).
                return;
            }
        }
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
