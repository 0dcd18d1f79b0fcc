using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Portcullis.Storage;

/// <summary>
/// Writes whose outcome nothing in their transaction reads (a timeline entry, say), held back on PostgreSQL and sent in
/// the same round trip as the transaction's next statement through <see cref="PreparedSql"/>, or with its <c>COMMIT</c>.
/// Each statement on PostgreSQL is a round trip: measured, a request's decision transaction spent most of its time
/// waiting on them. SQLite runs them at once (no round trips), as does a transaction not opened by
/// <see cref="Database.WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, Func{T, bool}, CancellationToken)"/>.
/// INVARIANT: a held write is one no later statement of the transaction reads or changes, and whose failure may surface
/// on that later statement instead (the transaction fails either way).
/// </summary>
public static class PipelinedWrites
{
    private static readonly ConditionalWeakTable<DbTransaction, List<NpgsqlBatchCommand>> Pending = [];

    /// <summary>Runs the write now on SQLite, or holds it for the transaction's next round trip on PostgreSQL.</summary>
    public static Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object? Value)[] args)
    {
        if (!Pending.TryGetValue(transaction, out var pending))
        {
            return PreparedSql.ExecuteAsync(connection, transaction, sql, args);
        }

        pending.Add(PositionalSql.Command(sql, args));
        return Task.CompletedTask;
    }

    // Npgsql hands out the same transaction object again on the same physical connection: every use is closed in a
    // finally, so a later transaction not opened by Database.WriteAsync never holds writes nobody would send.
    internal static void Open(DbTransaction transaction) => Pending.AddOrUpdate(transaction, []);

    internal static void Close(DbTransaction transaction) => Pending.Remove(transaction);

    /// <summary>The held writes, removed from the queue, to send ahead of the caller's statement.</summary>
    internal static List<NpgsqlBatchCommand>? Take(DbTransaction? transaction)
    {
        if (transaction is null || !Pending.TryGetValue(transaction, out var pending) || pending.Count == 0)
        {
            return null;
        }

        var taken = new List<NpgsqlBatchCommand>(pending);
        pending.Clear();
        return taken;
    }

    /// <summary>
    /// Commits, sending what is still held in the same round trip as the <c>COMMIT</c>. A <c>COMMIT</c> statement in the
    /// batch ends the transaction as <see cref="DbTransaction.CommitAsync"/> would: Npgsql follows the server's transaction
    /// status, so the transaction object then counts as completed and its disposal rolls nothing back. Should a held write
    /// fail, PostgreSQL skips the rest of the batch, the <c>COMMIT</c> included, and the disposal rolls the transaction back.
    /// </summary>
    internal static async Task CommitAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (Take(transaction) is not { } held)
        {
            await transaction.CommitAsync(ct);
            return;
        }

        await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        held.ForEach(batch.BatchCommands.Add);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync(ct);
    }
}
