using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Portcullis.Storage;

/// <summary>
/// Work to run once a transaction has committed, such as waking whoever waits for the change it wrote. A hook registered
/// inside <see cref="Database.WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/> runs right
/// after the commit (on SQLite, after the group commit that carried it); a rolled-back or failed transaction drops its hooks.
/// </summary>
public static class TransactionHooks
{
    // Keyed weakly by the transaction object, so a transaction committed by other means never leaks its hooks.
    private static readonly ConditionalWeakTable<DbTransaction, List<Action>> Pending = new();

    /// <summary>Runs <paramref name="hook"/> after <paramref name="transaction"/> commits. The hook must be quick and must not throw.</summary>
    public static void AfterCommit(DbTransaction transaction, Action hook)
    {
        var hooks = Pending.GetOrCreateValue(transaction);
        lock (hooks)
        {
            hooks.Add(hook);
        }
    }

    /// <summary>Called by the store once <paramref name="transaction"/> has committed.</summary>
    internal static void Committed(DbTransaction transaction)
    {
        if (!Pending.TryGetValue(transaction, out var hooks))
        {
            return;
        }

        Pending.Remove(transaction);
        Action[] run;
        lock (hooks)
        {
            run = [.. hooks];
        }

        foreach (var hook in run)
        {
            hook();
        }
    }

    /// <summary>Called by the store when <paramref name="transaction"/> rolled back or failed: nothing it wrote is visible.</summary>
    internal static void Discarded(DbTransaction transaction) => Pending.Remove(transaction);
}
