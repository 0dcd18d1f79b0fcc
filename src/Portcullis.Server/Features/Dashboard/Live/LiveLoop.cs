namespace Portcullis.Server.Features.Dashboard.Live;

/// <summary>The pacing of the dashboard's event streams: poll, wait, stop quietly when the client or the server goes.</summary>
public static class LiveLoop
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>A token that ends when the request is aborted or the server begins to stop, so shutdown never waits on a stream.</summary>
    public static CancellationTokenSource Link(HttpContext http, IHostApplicationLifetime lifetime) =>
        CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);

    /// <summary>Waits one interval; false once the stream should end (no exception on cancellation).</summary>
    public static async Task<bool> WaitAsync(CancellationToken ct)
    {
        await Task.Delay(Interval, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return !ct.IsCancellationRequested;
    }
}
