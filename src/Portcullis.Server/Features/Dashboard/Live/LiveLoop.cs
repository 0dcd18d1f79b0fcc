using Portcullis.Server.Infrastructure.Changes;

namespace Portcullis.Server.Features.Dashboard.Live;

/// <summary>The pacing of the dashboard's event streams: read, sleep until the change feed says something changed, stop quietly when the client or the server goes.</summary>
public static class LiveLoop
{
    /// <summary>
    /// An idle stream re-reads this often even without a notification, in case one was lost (an instance died between its
    /// commit and its NOTIFY): a bounded delay instead of a stale page, at one read per stream per half minute.
    /// </summary>
    public static readonly TimeSpan Fallback = TimeSpan.FromSeconds(30);

    /// <summary>A token that ends when the request is aborted or the server begins to stop, so shutdown never waits on a stream.</summary>
    public static CancellationTokenSource Link(HttpContext http, IHostApplicationLifetime lifetime) =>
        CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);

    /// <summary>Waits for a change on <paramref name="watch"/> (or the fallback); false once the stream should end (no exception on cancellation).</summary>
    public static async Task<bool> WaitAsync(ChangeWatch watch, TimeProvider time, CancellationToken ct)
    {
        try
        {
            await watch.WaitAsync(Fallback, time, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client left or the server is stopping
        }

        return !ct.IsCancellationRequested;
    }
}
