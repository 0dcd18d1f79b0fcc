using System.Data.Common;
using Npgsql;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure.Changes;

/// <summary>
/// One dedicated connection per instance that <c>LISTEN</c>s for the other instances' changes. Idle, it sends nothing (TCP
/// keep-alives find a dead peer, not queries). Whenever it (re)connects, every waiter re-reads once, since notifications
/// sent while it was away are gone: no wake-up is lost, only delayed until the connection is back.
/// </summary>
public sealed partial class PostgresListener(Database database, PostgresChangeFeed feed, ILogger<PostgresListener> logger) : BackgroundService
{
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(1);

    /// <summary>True while the connection is listening; for health and tests.</summary>
    public bool Listening { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.IsSqlite)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException or IOException)
            {
                LogListenFailed(logger, ex);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                Listening = false;
            }

            await Task.Delay(Backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            // Its own physical connection, outside the pool the requests use; keep-alives at the TCP level, not queries.
            Pooling = false,
            TcpKeepAlive = true,
            TcpKeepAliveTime = 15,
            TcpKeepAliveInterval = 5,
            ApplicationName = "portcullis-listener",
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Notification += (_, e) => feed.Received(e.Payload);
        await connection.OpenAsync(ct);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChangeFeed.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        Listening = true;
        LogListening(logger);
        feed.Resync();
        while (true)
        {
            await connection.WaitAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for changes from other instances")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The change listener lost its connection; reconnecting, and every waiter re-reads once")]
    private static partial void LogListenFailed(ILogger logger, Exception ex);
}
