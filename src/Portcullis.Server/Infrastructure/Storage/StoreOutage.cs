using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portcullis.Server.Infrastructure;

/// <summary>
/// Tells a store outage (unreachable, full, read-only, shutting down, out of connections) from a bug: an outage answers
/// 503 <c>service_unavailable</c> with <c>Retry-After</c>, since the same request may well succeed shortly; anything else stays 500.
/// </summary>
public static class StoreOutage
{
    /// <summary>Seconds a client is asked to wait after an outage answer.</summary>
    public const int RetryAfterSeconds = 5;

    // SQLite result codes (the primary code, the low byte of an extended one).
    private const int Busy = 5, Locked = 6, ReadOnly = 8, IoError = 10, Full = 13, CantOpen = 14;

    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) is Busy or Locked or ReadOnly or IoError or Full or CantOpen:
                case PostgresException pg when IsOutageState(pg.SqlState):
                case NpgsqlException and not PostgresException:
                case TimeoutException:
                    return true;
                case DbException:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Whether the store answered that a table is missing (a database that is not, or not wholly, Portcullis's).</summary>
    public static bool IsMissingTable(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 1 && sqlite.Message.Contains("no such table", StringComparison.Ordinal),
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UndefinedTable,
        _ => false,
    };

    // 08: connection; 53: insufficient resources (disk full, out of memory, too many connections); 57P0x: shutting down
    // or not accepting connections; 25006: read-only transaction (a standby or default_transaction_read_only).
    private static bool IsOutageState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
        || state is "57P01" or "57P02" or "57P03" or PostgresErrorCodes.ReadOnlySqlTransaction;
}
