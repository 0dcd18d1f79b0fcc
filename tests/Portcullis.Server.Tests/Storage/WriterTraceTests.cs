using System.Diagnostics;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Storage;

/// <summary>The SQLite writer runs queued work on a thread of its own; the work still belongs to its caller's trace.</summary>
public sealed class WriterTraceTests : IDisposable
{
    private readonly Database _database = new(StorageProvider.Sqlite,
        Database.SqliteConnectionStringFor(Path.Combine(Path.GetTempPath(), "portcullis-writer-trace", Guid.NewGuid().ToString("n"))));

    [Fact]
    public async Task Work_queued_under_an_activity_runs_with_that_activity_current()
    {
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        var seen = await _database.WriteAsync((_, _) => Task.FromResult(Activity.Current?.Id));
        Assert.Equal(caller.Id, seen);
    }

    [Fact]
    public async Task Work_queued_without_an_activity_does_not_inherit_an_earlier_callers()
    {
        using (new Activity("earlier").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            await _database.WriteAsync((_, _) => Task.FromResult(0));
        }

        var seen = await Task.Run(() => _database.WriteAsync((_, _) => Task.FromResult(Activity.Current?.Id)));
        Assert.Null(seen);
    }

    public void Dispose() => _database.Dispose();
}
