using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Storage.Schema;

/// <summary>A fresh store with every migration applied, and its schema read back as a <see cref="SchemaModel"/>.</summary>
public sealed class MigratedStore : IAsyncDisposable
{
    private readonly TestDatabase _store;

    private MigratedStore(TestDatabase store, Database database, IReadOnlyList<int> applied)
    {
        _store = store;
        Database = database;
        Applied = applied;
    }

    public Database Database { get; }

    /// <summary>The migration versions applied, in order.</summary>
    public IReadOnlyList<int> Applied { get; }

    public static async Task<MigratedStore> CreateAsync(StorageProvider provider)
    {
        var store = await TestDatabase.CreateAsync(provider);
        var database = new Database(provider, store.ConnectionString ?? Database.SqliteConnectionStringFor(store.DataDirectory));
        return new MigratedStore(store, database, await MigrationRunner.ApplyAsync(database));
    }

    public async Task<SchemaModel> ReadSchemaAsync()
    {
        await using var connection = await Database.OpenAsync();
        return Database.Provider == StorageProvider.Sqlite
            ? await SqliteCatalog.ReadAsync(connection)
            : await PostgresCatalog.ReadAsync(connection);
    }

    public async ValueTask DisposeAsync()
    {
        Database.Dispose();
        await _store.DisposeAsync();
    }
}
