using System.Data.Common;
using Npgsql;

namespace Portcullis.Storage;

/// <summary>
/// <see cref="PreparedSql"/> on PostgreSQL: one batch per call, led by any writes the transaction holds back
/// (<see cref="PipelinedWrites"/>), so they travel in the same round trip. Npgsql prepares the statements itself.
/// </summary>
internal static class PostgresStatements
{
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] args)
    {
        await using var batch = Batch(connection, transaction, sql, args);
        await batch.ExecuteNonQueryAsync();
        return batch.BatchCommands[^1].RecordsAffected;
    }

    public static async Task<T?> QueryFirstAsync<T>(NpgsqlConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> map,
        (string Name, object? Value)[] args)
    {
        await using var batch = Batch(connection, transaction, sql, args);
        // Held writes return no rows, so the reader starts at the caller's statement.
        await using var reader = await batch.ExecuteReaderAsync();
        return await reader.ReadAsync() ? map(reader) : default;
    }

    private static NpgsqlBatch Batch(NpgsqlConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] args)
    {
        var batch = new NpgsqlBatch(connection, (NpgsqlTransaction?)transaction);
        PipelinedWrites.Take(transaction)?.ForEach(batch.BatchCommands.Add);
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in args)
        {
            command.Parameters.Add(Parameter(name, value));
        }

        batch.BatchCommands.Add(command);
        return batch;
    }

    public static NpgsqlParameter Parameter(string name, object? value) =>
        // PostgreSQL must know a null's type; every nullable value passed here is text.
        value is null ? new NpgsqlParameter(name, System.Data.DbType.String) { Value = DBNull.Value } : new NpgsqlParameter(name, value);
}
