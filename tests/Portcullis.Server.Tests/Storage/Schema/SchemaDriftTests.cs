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
        await using (var c = await sqlite.Database.OpenForWriteAsync())
        {
            await c.ExecuteAsync("CREATE INDEX ix_runs_status ON runs (status, started_at DESC)");
        }

        await using (var c = await postgres.Database.OpenForWriteAsync())
        {
            await c.ExecuteAsync(
                """
                ALTER TABLE runs ALTER COLUMN external_ref SET NOT NULL;
                ALTER TABLE agents ADD CONSTRAINT ck_agent_name CHECK (name <> '');
                ALTER TABLE approvals ADD CONSTRAINT fk_approvals_runs FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE;
                DROP INDEX ix_credentials_workspace; CREATE INDEX ix_credentials_workspace ON credentials (provider, workspace_id);
                """);
        }

        var differences = SchemaComparer.Compare(await sqlite.ReadSchemaAsync(), await postgres.ReadSchemaAsync());

        Assert.Equal(
        [
            "check constraints agents: sqlite 0, postgres 1",
            "foreign key approvals (run_id) references runs (id) on delete CASCADE on update NO ACTION: only on postgres",
            "index credentials.ix_credentials_workspace: sqlite (workspace_id, provider), postgres (provider, workspace_id)",
            "column runs.external_ref: sqlite text null, postgres text not null",
            "index runs.ix_runs_status: only on sqlite: (status, started_at desc)",
        ], differences);
    }
}
