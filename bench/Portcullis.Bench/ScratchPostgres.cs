using Npgsql;

namespace Portcullis.Bench;

/// <summary>A fresh PostgreSQL database for one bench run, dropped afterwards, so every run starts from the same empty store.</summary>
public sealed class ScratchPostgres : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private ScratchPostgres(string admin, string name)
    {
        _admin = admin;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <param name="admin">A connection string whose role may create databases.</param>
    public static async Task<ScratchPostgres> CreateAsync(string admin)
    {
        var name = "portcullis_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        return new ScratchPostgres(admin, name);
    }

    /// <summary>
    /// Transactions committed in the database so far (each write transaction, and each read outside one). Backends report
    /// theirs when they exit, so read it once the server has stopped.
    /// </summary>
    public async Task<long> CommittedTransactionsAsync()
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", _name);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
