using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Storage;

/// <summary>
/// <see cref="Database.ReadAsync{T}"/> keeps SQLite read connections (and their prepared statements) open between
/// calls. A statement left un-reset would pin its connection to an old snapshot: revocations and new rows would go
/// unseen. These tests hold the pool to "every read sees every commit before it".
/// </summary>
public sealed class PooledReadTests : IDisposable
{
    private const string ReadSql = "SELECT value FROM settings WHERE name = @name";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portcullis-pooled-reads", Guid.NewGuid().ToString("n"));
    private readonly Database _database;

    public PooledReadTests()
    {
        _database = new Database(StorageProvider.Sqlite, Database.SqliteConnectionStringFor(_directory));
        using var connection = _database.OpenForWriteAsync().GetAwaiter().GetResult();
        connection.Execute("PRAGMA journal_mode=WAL; CREATE TABLE settings (name TEXT PRIMARY KEY, value INTEGER NOT NULL); INSERT INTO settings VALUES ('a', 0);");
    }

    [Fact]
    public async Task Every_read_sees_the_writes_committed_before_it()
    {
        for (var i = 1; i <= 50; i++)
        {
            var value = i;
            await _database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE settings SET value = @value WHERE name = 'a'", new { value }, t));

            // Several readers at once, so more than one pooled connection is exercised.
            var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(ReadAsync)));
            Assert.All(reads, read => Assert.Equal(i, read));
        }
    }

    [Fact]
    public async Task A_read_that_fails_leaves_its_connection_usable()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _database.ReadAsync<long>(async c =>
        {
            await PreparedSql.QueryFirstAsync(c, null, ReadSql, r => r.GetInt64(0), ("name", "a"));
            throw new InvalidOperationException("the caller's own failure");
        }));
        await _database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE settings SET value = 7 WHERE name = 'a'", transaction: t));

        Assert.Equal(7, await ReadAsync());
    }

    [Fact]
    public async Task A_missing_row_reads_as_default()
    {
        var missing = await _database.ReadAsync(c => PreparedSql.QueryFirstAsync(c, null, ReadSql, r => (long?)r.GetInt64(0), ("name", "nope")));

        Assert.Null(missing);
    }

    private Task<long> ReadAsync() =>
        _database.ReadAsync(c => PreparedSql.QueryFirstAsync(c, null, ReadSql, r => r.GetInt64(0), ("name", "a")));

    public void Dispose()
    {
        _database.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory.
        }
    }
}
