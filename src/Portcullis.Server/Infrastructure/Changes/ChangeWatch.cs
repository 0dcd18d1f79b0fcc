namespace Portcullis.Server.Infrastructure.Changes;

/// <summary>One waiter's watch on a topic and key; dispose it when done. Wakes at most once: watch again to wait again.</summary>
public sealed class ChangeWatch : IDisposable
{
    private readonly ChangeHub _hub;
    private readonly ChangeHub.Slot _slot;
    private bool _disposed;

    internal ChangeWatch(ChangeHub hub, ChangeHub.Slot slot)
    {
        _hub = hub;
        _slot = slot;
    }

    /// <summary>Completes when a change is announced.</summary>
    public Task Changed => _slot.Changed.Task;

    /// <summary>
    /// Waits for a change for at most <paramref name="wait"/>; true when woken, false when the time ran out. Throws only when
    /// <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan wait, TimeProvider time, CancellationToken ct)
    {
        if (wait > TimeSpan.Zero)
        {
            await Changed.WaitAsync(wait, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        ct.ThrowIfCancellationRequested();
        return Changed.IsCompleted;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _hub.Release(_slot);
        }
    }
}
