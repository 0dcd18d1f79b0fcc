using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Portcullis.Storage;

/// <summary>
/// SQLite's writer, with group commit. SQLite admits one writer at a time, so instead of each caller
/// opening a connection and committing alone, callers queue their work; one long-lived connection
/// runs everything queued in one transaction, each piece inside its own savepoint (so one caller's
/// rollback leaves the others intact), and commits once. A caller hears back only after the commit.
/// The writer runs on a thread of its own: SQLite's calls are synchronous anyway, and as a thread-pool
/// continuation it queued behind the very requests waiting on it.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxGroup = 64;

    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private DbConnection? _connection;

    public SqliteWriter(Func<CancellationToken, Task<DbConnection>> open)
    {
        _open = open;
        _thread = new Thread(Run) { IsBackground = true, Name = "portcullis-sqlite-writer" };
        _thread.Start();
    }

    public Task<T> EnqueueAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, Func<T, bool> commit, CancellationToken ct)
    {
        var item = new Work<T>(work, commit, ct);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter));
        }

        StorageMetrics.WriterQueueDepth.Add(1);
        return item.Completion.Task;
    }

    private void Run()
    {
        var group = new List<Work>(MaxGroup);
        while (WaitForWork())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
            }

            StorageMetrics.WriterQueueDepth.Add(-group.Count);
            StorageMetrics.WriterGroupSize.Record(group.Count);

            RunGroupAsync(group).GetAwaiter().GetResult();
        }
    }

    private bool WaitForWork()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private async Task RunGroupAsync(List<Work> group)
    {
        try
        {
            _connection ??= await _open(CancellationToken.None);
            await using var transaction = await _connection.BeginTransactionAsync();
            foreach (var work in group)
            {
                await work.RunAsync(_connection, transaction);
            }

            await transaction.CommitAsync();
            TransactionHooks.Committed(transaction);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The commit (or the connection) failed: nothing of this group is stored, so every
            // caller learns of it. A fresh connection is opened for the next group.
            foreach (var work in group)
            {
                work.Fail(ex);
            }

            await ResetConnectionAsync();
            return;
        }

        foreach (var work in group)
        {
            work.Complete();
        }
    }

    private async Task ResetConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join);
        await ResetConnectionAsync();
    }

    private abstract class Work
    {
        // The caller's trace: the work runs on the writer's thread, where Activity.Current would otherwise be whatever
        // (nothing) that thread has, and spans and logs of the work would leave the request's trace.
        protected Activity? Caller { get; } = Activity.Current;

        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception ex);
    }

    private sealed class Work<T>(Func<DbConnection, DbTransaction, Task<T>> work, Func<T, bool> commit, CancellationToken ct) : Work
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction)
        {
            if (ct.IsCancellationRequested)
            {
                _error = new OperationCanceledException(ct);
                return;
            }

            // Set inside this async method, so it is undone when the method returns: the next piece starts clean.
            Activity.Current = Caller;

            // One savepoint at a time (each is released before the next piece starts), so one name serves all,
            // and its three statements stay prepared on the writer's connection.
            await PreparedSql.ExecuteAsync(connection, transaction, "SAVEPOINT piece");
            try
            {
                _result = await work(connection, transaction);
                if (!commit(_result))
                {
                    await PreparedSql.ExecuteAsync(connection, transaction, "ROLLBACK TO piece");
                }

                await PreparedSql.ExecuteAsync(connection, transaction, "RELEASE piece");
            }
#pragma warning disable CA1031 // Any failure of one caller's work is that caller's, not the group's.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await PreparedSql.ExecuteAsync(connection, transaction, "ROLLBACK TO piece");
                await PreparedSql.ExecuteAsync(connection, transaction, "RELEASE piece");
                _error = ex;
            }
        }

        public override void Complete()
        {
            if (_error is not null)
            {
                Completion.TrySetException(_error);
            }
            else
            {
                Completion.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception ex) => Completion.TrySetException(_error ?? ex);
    }
}
