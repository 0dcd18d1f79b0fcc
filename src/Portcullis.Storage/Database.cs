using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portcullis.Storage;

/// <summary>
/// Opens connections to the configured store and serialises writers where the engine needs it.
/// </summary>
public sealed class Database : IDisposable
{
    // SQLite has one writer at a time: writes queue in-process for one writer connection with group
    // commit, far cheaper than letting connections spin on SQLITE_BUSY. PostgreSQL needs no such queue.
    private readonly SqliteWriter? _sqliteWriter;
    private readonly SqliteCheckpointer? _checkpointer;
    private readonly SqliteReaderPool? _readers;
    private readonly NpgsqlDataSource? _postgres;

    public Database(StorageProvider provider, string connectionString)
    {
        Provider = provider;
        Dialect = SqlDialect.For(provider);
        ConnectionString = connectionString;
        if (provider == StorageProvider.Sqlite)
        {
            _sqliteWriter = new SqliteWriter(OpenWriterAsync);
            _checkpointer = new SqliteCheckpointer(connectionString);
            // Generous: a connection closed after a burst must be opened again later, and a fresh connection
            // parses the whole schema on its first statement (measured: it cost a third of a read-heavy request).
            _readers = new SqliteReaderPool(connectionString, capacity: 32);
        }
        else
        {
            _postgres = NpgsqlDataSource.Create(PostgresConnectionDefaults.Apply(connectionString));
        }
    }

    private volatile bool _walChecked;

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The SQL that differs between the stores; features use it instead of testing the provider.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>For the storage layer itself; features splice in <see cref="Dialect"/> instead of branching on this.</summary>
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
            DefaultTimeout = 30, // also SQLite's busy timeout, for the rare writer outside this process
        };
        return builder.ToString();
    }

    /// <summary>Opens a connection for reading.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }

        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        if (!_walChecked)
        {
            // journal_mode is stored in the file: WAL lets readers run beside the writer. Once per process.
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(ct);
            _walChecked = true;
        }

        return connection;
    }

    /// <summary>
    /// Runs a small, hot read on a connection that stays open between calls (on SQLite), so the statements it runs
    /// through <see cref="PreparedSql"/> are parsed once per connection instead of once per call. The read must
    /// dispose every reader it opens and leave no transaction behind.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken ct = default)
    {
        if (_readers is null)
        {
            await using var connection = await OpenAsync(ct);
            return await read(connection);
        }

        ct.ThrowIfCancellationRequested();
        var pooled = _readers.Rent();
        try
        {
            return await read(pooled);
        }
        finally
        {
            _readers.Return(pooled);
        }
    }

    /// <summary>Opens a connection that will write (outside <see cref="WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>, e.g. migrations).</summary>
    public async Task<DbConnection> OpenForWriteAsync(CancellationToken ct = default)
    {
        var connection = await OpenAsync(ct);
        if (connection is SqliteConnection)
        {
            await using var pragma = connection.CreateCommand();
            // NORMAL is durable across application crashes in WAL mode and risks only the last commits on power loss.
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
            await pragma.ExecuteNonQueryAsync(ct);
        }

        return connection;
    }

    // The long-lived writer connection leaves routine checkpoints to SqliteCheckpointer.
    private async Task<DbConnection> OpenWriterAsync(CancellationToken ct)
    {
        var connection = await OpenForWriteAsync(ct);
        await using var pragma = connection.CreateCommand();
        // Each queued piece of work runs in a savepoint, whose journal SQLite keeps in a temporary file unless
        // told otherwise: in memory, a group commit no longer creates, writes and deletes a file (measured:
        // most of the writer's system calls). The writer also keeps a larger page cache (32 MB) than readers,
        // since every write walks the hot ends of the same indexes.
        pragma.CommandText = $"PRAGMA wal_autocheckpoint={SqliteCheckpointer.WriterAutoCheckpointPages}; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;";
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
        // INVARIANT: work must not call WriteAsync itself; on SQLite it would wait on its own queue.
        if (_sqliteWriter is not null)
        {
            return await _sqliteWriter.EnqueueAsync(work, commit, ct);
        }

        await using var connection = await OpenForWriteAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        PipelinedWrites.Open(transaction);
        var committed = false;
        try
        {
            var result = await work(connection, transaction);
            if (commit(result))
            {
                await PipelinedWrites.CommitAsync(connection, transaction, ct);
                committed = true;
                TransactionHooks.Committed(transaction);
            }
            else
            {
                await transaction.RollbackAsync(ct);
            }

            return result;
        }
        finally
        {
            // Rolled back, or failed in the work or at the commit: its hooks go (Npgsql may hand the same transaction object
            // to the connection's next transaction, whose commit must not run them).
            if (!committed)
            {
                TransactionHooks.Discarded(transaction);
            }

            PipelinedWrites.Close(transaction);
        }
    }

    public async Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        await WriteAsync(async (c, t) => { await work(c, t); return true; }, ct);

    public void Dispose()
    {
        _sqliteWriter?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _checkpointer?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _readers?.Dispose();
        _postgres?.Dispose();
    }
}
