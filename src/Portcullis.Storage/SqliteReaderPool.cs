using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Portcullis.Storage;

/// <summary>
/// SQLite connections kept open for reading, so each keeps the statements <see cref="PreparedSql"/> prepared on it.
/// Microsoft.Data.Sqlite's own pool keeps the database handle but finalises every statement when a connection
/// closes, and parsing a statement costs more than running it on the hot read paths (key lookups, run lookups).
/// </summary>
internal sealed class SqliteReaderPool(string connectionString, int capacity) : IDisposable
{
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private volatile bool _disposed;

    public SqliteConnection Rent()
    {
        if (_idle.TryTake(out var connection))
        {
            return connection;
        }

        connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Takes a connection back; beyond <c>capacity</c> idle ones (a burst), it is closed instead.</summary>
    public void Return(SqliteConnection connection)
    {
        if (_disposed || _idle.Count >= capacity)
        {
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
