using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portcullis.Storage;

/// <summary>
/// Executes hot statements through commands prepared once per connection. Microsoft.Data.Sqlite parses
/// and plans a statement again for every new command object (Dapper makes one per call), which costs
/// more than the statement itself on the hot paths; SQLite's long-lived writer connection keeps its
/// prepared commands here instead, as do the pooled read connections of <see cref="Database.ReadAsync{T}"/>.
/// PostgreSQL commands are created per call: Npgsql prepares them itself per physical connection, since
/// <see cref="PostgresConnectionDefaults"/> turns on its automatic preparation.
/// </summary>
public static class PreparedSql
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Caches = [];

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] args)
    {
        if (connection is NpgsqlConnection postgres)
        {
            return await PostgresStatements.ExecuteAsync(postgres, transaction, sql, args);
        }

        return Command(connection, transaction, sql, args).ExecuteNonQuery();
    }

    /// <summary>
    /// Runs a command the caller built and reuses (say, once per row of a batch). SQLite's async calls are synchronous
    /// underneath, so it runs synchronously there and spares a Task per call.
    /// </summary>
    public static ValueTask<int> ExecuteAsync(DbCommand command) =>
        command.Connection is SqliteConnection ? new(command.ExecuteNonQuery()) : new(command.ExecuteNonQueryAsync());

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] args)
    {
        if (connection is NpgsqlConnection postgres)
        {
            return await PostgresStatements.QueryFirstAsync(postgres, transaction, sql, static r => r.IsDBNull(0) ? null : r.GetValue(0), args);
        }

        var value = Command(connection, transaction, sql, args).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Reads the first row's columns, or null when there is none.</summary>
    public static Task<object?[]?> FirstRowAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] args) =>
        QueryFirstAsync<object?[]?>(connection, transaction, sql, static reader =>
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            return row;
        }, args);

    /// <summary>Maps the first row with <paramref name="map"/>, or answers default when there is none.</summary>
    public static async Task<T?> QueryFirstAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> map,
        params (string Name, object? Value)[] args)
    {
        if (connection is NpgsqlConnection postgres)
        {
            return await PostgresStatements.QueryFirstAsync(postgres, transaction, sql, map, args);
        }

        // SQLite's async calls are synchronous underneath: run synchronously and spare the Tasks.
        using var reader = Command(connection, transaction, sql, args).ExecuteReader();
        return reader.Read() ? map(reader) : default;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] args)
    {
        var cache = Caches.GetValue(connection, _ => new Dictionary<string, DbCommand>(StringComparer.Ordinal));
        if (!cache.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in args)
            {
                var p = command.CreateParameter();
                p.ParameterName = "@" + name;
                command.Parameters.Add(p);
            }

            cache[sql] = command;
        }

        command.Transaction = transaction;
        // INVARIANT: a statement is always called with the same parameter names in the same order.
        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters[i].Value = args[i].Value ?? DBNull.Value;
        }

        return command;
    }
}
