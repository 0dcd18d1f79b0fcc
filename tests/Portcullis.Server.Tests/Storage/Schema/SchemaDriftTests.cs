using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Storage.Schema;

/// <summary>
/// Every migration, applied to a fresh SQLite file and a fresh PostgreSQL database, must build the same schema:
/// tables, column type families and nullability, keys, indexes, unique, foreign-key and check constraints. A
/// migration added later is picked up by itself: the runner applies whatever is embedded.
/// </summary>
public sealed class SchemaDriftTests
{
    [Fact]
    public void Every_migration_exists_for_both_stores_under_the_same_version_and_name()
    {
        var sqlite = MigrationRunner.Load(StorageProvider.Sqlite).Select(m => $"{m.Version:D4}_{m.Name}");
        var postgres = MigrationRunner.Load(StorageProvider.Postgres).Select(m => $"{m.Version:D4}_{m.Name}");

        Assert.Equal(sqlite, postgres);
    }

    [Fact]
    public async Task The_migrations_build_the_same_schema_on_sqlite_and_postgres()
    {
        await using var sqlite = await MigratedStore.CreateAsync(StorageProvider.Sqlite);
        await using var postgres = await MigratedStore.CreateAsync(StorageProvider.Postgres);

        var expected = MigrationRunner.Load(StorageProvider.Sqlite).Select(m => m.Version);
        Assert.Equal(expected, sqlite.Applied);
        Assert.Equal(expected, postgres.Applied);
        var (left, right) = (await sqlite.ReadSchemaAsync(), await postgres.ReadSchemaAsync());
        Assert.Contains(left.Tables, t => t.Name == "audit_entries" && t.Indexes.Count == 0 && t.PrimaryKey.Count == 2);
        var differences = SchemaComparer.Compare(left, right);
        Assert.True(differences.Count == 0, SchemaComparer.Report(differences));
    }

    [Fact]
    public async Task Drift_made_after_the_migrations_is_reported_from_either_catalog()
    {
        await using var sqlite = await MigratedStore.CreateAsync(StorageProvider.Sqlite);
        await using var postgres = await MigratedStore.CreateAsync(StorageProvider.Postgres);
        // The same probe tables on both, then different changes to each: the probe keeps this test independent of
        // whatever the real migrations hold.
        const string Probe =
            """
            CREATE TABLE drift_parent (id TEXT PRIMARY KEY);
            CREATE TABLE drift_probe (
                id          TEXT PRIMARY KEY,
                parent_id   TEXT NOT NULL REFERENCES drift_parent (id),
                note        TEXT NULL, -- a comment that says check (not a constraint)
                created_at  BIGINT NOT NULL CHECK (created_at >= 0),
                UNIQUE (parent_id, note)
            );
            CREATE INDEX ix_drift_probe_time ON drift_probe (parent_id, created_at DESC);
            CREATE INDEX ix_drift_probe_lower ON drift_probe (lower(note), id);
            """;
        await ExecuteAsync(sqlite, Probe + "CREATE INDEX ix_drift_probe_note ON drift_probe (note) WHERE note IS NOT NULL;");
        await ExecuteAsync(postgres, Probe +
            """
            ALTER TABLE drift_probe ALTER COLUMN note SET NOT NULL;
            ALTER TABLE drift_probe ADD CONSTRAINT ck_drift_probe_note CHECK (note <> '');
            ALTER TABLE drift_probe ADD CONSTRAINT fk_drift_probe_note FOREIGN KEY (note) REFERENCES drift_parent (id) ON DELETE CASCADE;
            DROP INDEX ix_drift_probe_time; CREATE INDEX ix_drift_probe_time ON drift_probe (created_at DESC, parent_id);
            """);

        var differences = SchemaComparer.Compare(await sqlite.ReadSchemaAsync(), await postgres.ReadSchemaAsync());

        Assert.Equal(
        [
            "column drift_probe.note: sqlite text null, postgres text not null",
            "index drift_probe.ix_drift_probe_note: only on sqlite: (note) where …",
            "index drift_probe.ix_drift_probe_time: sqlite (parent_id, created_at desc), postgres (created_at desc, parent_id)",
            "foreign key drift_probe (note) references drift_parent (id) on delete CASCADE on update NO ACTION: only on postgres",
            "check constraints drift_probe: sqlite 1, postgres 2",
        ], differences.Where(d => d.Contains("drift_", StringComparison.Ordinal)));
    }

    private static async Task ExecuteAsync(MigratedStore store, string sql)
    {
        await using var connection = await store.Database.OpenForWriteAsync();
        await connection.ExecuteAsync(sql);
    }
}
