using System.Data.Common;
using Npgsql;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure.Changes;

/// <summary>
/// Sends this instance's committed changes to the other instances: everything queued since the last send goes out as one
/// statement of <c>pg_notify</c> calls, repeats merged. Runs right after the commits it announces (not inside them), so the
/// request path pays only a queue write; a change whose notification is lost (the process died first) is still seen by
/// remote waiters at their deadline re-read.
/// </summary>
public sealed partial class PostgresNotifier(Database database, PostgresChangeFeed feed, ILogger<PostgresNotifier> logger) : BackgroundService
{
    private const int MaxBatch = 1000;

    // Under load, changes gathered for this long go out in one statement: at most ~50 NOTIFY statements a second per instance.
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.IsSqlite)
        {
            return;
        }

        var batch = new HashSet<string>(StringComparer.Ordinal);
        while (await NextAsync(stoppingToken))
        {
            await Task.Delay(Gather, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            while (batch.Count < MaxBatch && feed.Outgoing.TryRead(out var payload))
            {
                batch.Add(payload);
            }

            await SendAsync(batch, stoppingToken);
            batch.Clear();
        }
    }

    private async Task<bool> NextAsync(CancellationToken ct)
    {
        try
        {
            return await feed.Outgoing.WaitToReadAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task SendAsync(HashSet<string> batch, CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT pg_notify('{PostgresChangeFeed.Channel}', p) FROM unnest(@payloads) AS p";
            command.Parameters.Add(new NpgsqlParameter<string[]>("payloads", [.. batch]));
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            // Dropped, not retried: remote waiters re-read at their deadline, and a store this sick fails their reads anyway.
            LogSendFailed(logger, batch.Count, ex);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not notify other instances of {Count} changes; their waiters see them at their deadline")]
    private static partial void LogSendFailed(ILogger logger, int count, Exception ex);
}
