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
        batch.BatchCommands.Add(PositionalSql.Command(sql, args));
        return batch;
    }
}
