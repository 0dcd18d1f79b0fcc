using Microsoft.Data.Sqlite;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Storage;

/// <summary>
/// The background checkpointer must stop quietly whenever it is disposed, also in the middle of a checkpoint:
/// an exception there fails the host's shutdown (CI once saw a TaskCanceledException from a test fixture's cleanup).
/// </summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portcullis-checkpointer", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Disposing_at_any_moment_never_throws()
    {
        Directory.CreateDirectory(_directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "wal.db"), Pooling = false }.ToString();
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var pragma = setup.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER);";
            await pragma.ExecuteNonQueryAsync();
        }

        // A 1 ms interval keeps a checkpoint in flight most of the time, so many disposals land inside one.
        for (var i = 0; i < 200; i++)
        {
            var checkpointer = new SqliteCheckpointer(connectionString, TimeSpan.FromMilliseconds(1));
            await Task.Delay(i % 4);
            await checkpointer.DisposeAsync();
        }
    }

    public void Dispose()
    {
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
