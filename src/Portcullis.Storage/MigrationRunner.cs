using System.Data.Common;
using System.Reflection;
using Dapper;

namespace Portcullis.Storage;

/// <summary>One versioned schema script, embedded in this assembly.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies the embedded SQL migrations of the configured provider, in version order, recording each
/// applied version in <c>schema_migrations</c>. Safe when several instances start at once.
/// </summary>
public static class MigrationRunner
{
    // Any constant works; it only has to be the same for every Portcullis instance.
    private const long PostgresLockId = 0x504F5254_43554C4C; // "PORTCULL"

    public static IReadOnlyList<Migration> Load(StorageProvider provider)
    {
        var folder = provider == StorageProvider.Sqlite ? ".Migrations.sqlite." : ".Migrations.postgres.";
        var assembly = typeof(MigrationRunner).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Parse(assembly, n, folder))
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>Applies every migration not yet applied; returns the versions it applied.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(Database database, CancellationToken ct = default)
    {
        var migrations = Load(database.Provider);
        await using var connection = await database.OpenForWriteAsync(ct);
        // INVARIANT: only one instance migrates at a time. PostgreSQL: a session advisory lock that
        // a second instance waits on; SQLite: BEGIN IMMEDIATE per migration below.
        if (!database.IsSqlite)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@id)", new { id = PostgresLockId });
        }

        try
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            var applied = new List<int>();
            foreach (var migration in migrations)
            {
                if (await ApplyOneAsync(connection, migration, ct))
                {
                    applied.Add(migration.Version);
                }
            }

            return applied;
        }
        finally
        {
            if (!database.IsSqlite)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@id)", new { id = PostgresLockId });
            }
        }
    }

    private static async Task<bool> ApplyOneAsync(DbConnection connection, Migration migration, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var done = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", new { v = migration.Version }, transaction);
        if (done > 0)
        {
            return false;
        }

        await connection.ExecuteAsync(migration.Sql, transaction: transaction);
        await connection.ExecuteAsync(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
            new { migration.Version, migration.Name, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            transaction);
        await transaction.CommitAsync(ct);
        return true;
    }

    private static Migration Parse(Assembly assembly, string resourceName, string folder)
    {
        // Resource names look like Portcullis.Storage.Migrations.sqlite.0001_foundation.sql
        var file = resourceName[(resourceName.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..^4];
        var separator = file.IndexOf('_', StringComparison.Ordinal);
        var version = int.Parse(file[..separator], System.Globalization.CultureInfo.InvariantCulture);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"migration resource `{resourceName}` is missing");
        using var reader = new StreamReader(stream);
        return new Migration(version, file[(separator + 1)..], reader.ReadToEnd());
    }
}
