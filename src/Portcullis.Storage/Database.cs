using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portcullis.Storage;

/// <summary>
/// Opens connections to the configured store and serialises writers where the engine needs it.
/// </summary>
public sealed class Database : IDisposable
{
    // SQLite has one writer at a time. Queueing writers here, in-process, is far cheaper than
    // letting them spin on SQLITE_BUSY; PostgreSQL needs no such gate.
    private readonly SemaphoreSlim? _sqliteWriteGate;
    private readonly NpgsqlDataSource? _postgres;

    public Database(StorageProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
        if (provider == StorageProvider.Sqlite)
        {
            _sqliteWriteGate = new SemaphoreSlim(1, 1);
        }
        else
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    public bool IsSqlite => Provider == StorageProvider.Sqlite;

    /// <summary>Builds the SQLite connection string for a file under the data directory.</summary>
    public static string SqliteConnectionStringFor(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "portcullis.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return builder.ToString();
    }

    /// <summary>Opens a connection for reading, or for writing outside a <see cref="WriteAsync"/> scope.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }

        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        // WAL lets readers run beside the writer; NORMAL sync is durable across application
        // crashes in WAL mode and only risks the last commits on power loss.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, committed when it returns normally.
    /// On SQLite, writers queue in-process first.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default) =>
        WriteAsync(work, static _ => true, ct);

    /// <summary>
    /// Like <see cref="WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>, but
    /// commits only when <paramref name="commit"/> approves the result; otherwise rolls everything back.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, Func<T, bool> commit, CancellationToken ct = default)
    {
        if (_sqliteWriteGate is not null)
        {
            await _sqliteWriteGate.WaitAsync(ct);
        }

        try
        {
            await using var connection = await OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var result = await work(connection, transaction);
            if (commit(result))
            {
                await transaction.CommitAsync(ct);
            }
            else
            {
                await transaction.RollbackAsync(ct);
            }

            return result;
        }
        finally
        {
            _sqliteWriteGate?.Release();
        }
    }

    public async Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        await WriteAsync(async (c, t) => { await work(c, t); return true; }, ct);

    public void Dispose()
    {
        _sqliteWriteGate?.Dispose();
        _postgres?.Dispose();
    }
}
