using Dapper;
using Npgsql;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Storage;

/// <summary>
/// <see cref="PipelinedWrites"/>: on PostgreSQL a held write travels with the transaction's next statement or just before
/// its commit, never later and never lost; on SQLite it runs at once.
/// </summary>
public sealed class PipelinedWritesTests : IAsyncLifetime
{
    private const string Insert = "INSERT INTO notes (id, body) VALUES (@id, @body)";

    private TestDatabase? _store;
    private Database? _database;

    private Database Db => _database!;

    public async Task InitializeAsync()
    {
        _store = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        _database = new Database(StorageProvider.Postgres, _store.ConnectionString!);
        await _database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NULL)", transaction: t));
    }

    public async Task DisposeAsync()
    {
        _database?.Dispose();
        await _store!.DisposeAsync();
    }

    [Fact]
    public async Task A_held_write_is_sent_with_the_next_statement_not_on_its_own()
    {
        var failure = await Assert.ThrowsAsync<PostgresException>(() => Db.WriteAsync(async (c, t) =>
        {
            await PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", "a"), ("body", "first"));
            // Held: a duplicate key is not reported here, since nothing has been sent yet...
            await PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", "a"), ("body", "again"));
            // ...but by the next statement, which carries both.
            await PreparedSql.ScalarAsync(c, t, "SELECT 1");
            return true;
        }));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Held_writes_are_committed_in_order_and_the_next_statement_answers_its_own_result()
    {
        var read = await Db.WriteAsync(async (c, t) =>
        {
            await PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", "a"), ("body", null));
            var answer = await PreparedSql.ScalarAsync(c, t, "SELECT @x::text", ("x", "mine"));
            var changed = await PreparedSql.ExecuteAsync(c, t, "UPDATE notes SET body = 'seen' WHERE id = 'a'");
            await PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", "b"), ("body", "last"));
            return (answer, changed);
        });

        Assert.Equal(("mine", 1), read);
        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task Writes_still_held_at_the_end_commit_with_the_COMMIT_and_a_failing_one_commits_nothing()
    {
        await Db.WriteAsync(async (c, t) =>
        {
            await PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", "a"), ("body", "only held writes"));
            await PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", "b"), ("body", "sent with the commit"));
        });
        Assert.Equal(2, await CountAsync());

        var failure = await Assert.ThrowsAsync<PostgresException>(() => Db.WriteAsync(async (c, t) =>
        {
            await PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", "c"), ("body", "would be new"));
            await PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", "a"), ("body", "a duplicate, found only at the commit"));
        }));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        Assert.Equal(2, await CountAsync());

        // Every pooled connection is left outside any transaction: the next ones begin and commit as usual.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Db.WriteAsync((c, t) => PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", $"n{i}"), ("body", null)))));
        Assert.Equal(10, await CountAsync());
    }

    [Fact]
    public async Task A_transaction_rolled_back_sends_nothing_it_held()
    {
        await Db.WriteAsync(async (c, t) =>
        {
            await PipelinedWrites.ExecuteAsync(c, t, Insert, ("id", "a"), ("body", "dropped"));
            return false;
        }, ok => ok);

        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Outside_a_database_transaction_a_write_runs_at_once()
    {
        await using var connection = await Db.OpenForWriteAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await PipelinedWrites.ExecuteAsync(connection, transaction, Insert, ("id", "a"), ("body", "now"));

        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notes", transaction: transaction));
    }

    private async Task<long> CountAsync() =>
        await Db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notes"));
}
