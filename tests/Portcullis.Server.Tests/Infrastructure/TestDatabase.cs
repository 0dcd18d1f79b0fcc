using Npgsql;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Infrastructure;

/// <summary>A fresh, empty store for one test server: a SQLite file, or a new PostgreSQL database.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "PORTCULLIS_TEST_POSTGRES";

    private TestDatabase(StorageProvider provider, string? connectionString, string dataDirectory, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        DataDirectory = dataDirectory;
        _postgresName = postgresName;
    }

    private readonly string? _postgresName;

    public StorageProvider Provider { get; }

    /// <summary>Null for SQLite: the server derives it from the data directory.</summary>
    public string? ConnectionString { get; }

    public string DataDirectory { get; }

    public static async Task<TestDatabase> CreateAsync(StorageProvider provider)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "portcullis-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDirectory);
        if (provider == StorageProvider.Sqlite)
        {
            return new TestDatabase(provider, null, dataDirectory, null);
        }

        var admin = AdminConnectionString();
        var name = "pc_test_" + Guid.NewGuid().ToString("n")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, builder.ToString(), dataDirectory, name);
    }

    /// <summary>
    /// The PostgreSQL server the test command started (see scripts/test.sh). PostgreSQL tests fail
    /// rather than skip without it: a silently skipped suite would hide a broken store.
    /// </summary>
    public static string AdminConnectionString() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests with `bash scripts/test.sh`, which starts a throw-away PostgreSQL server, " +
                "or point the variable at a server where the user may CREATE DATABASE.");

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await DropAsync(_postgresName);
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection; the temp directory is cleaned later.
        }
    }

    // The server is a throw-away one: a database that cannot be dropped now (a backend still exiting, a concurrent CREATE
    // reading the template) is retried, and at worst left behind with a line in the output, never a failed test class.
    private static async Task DropAsync(string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString());
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (attempt < 3)
            {
                Console.WriteLine($"dropping test database {name} failed ({ex.SqlState}: {ex.MessageText}); retrying");
                await Task.Delay(500);
            }
            catch (PostgresException ex)
            {
                Console.WriteLine($"test database {name} left behind: {ex.SqlState}: {ex.MessageText}");
                return;
            }
        }
    }
}
