namespace Portcullis.Client.Http;

/// <summary>How long to wait before a retry.</summary>
internal static class RetryDelay
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);

    /// <summary>A longer <c>Retry-After</c> is not waited out inside a call: the error goes to the caller, who can plan.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The wait before retry number <paramref name="attempt"/> + 1 (attempts count from 0), or null when the
    /// server asked for a longer pause than a call should block for. Without <c>Retry-After</c>:
    /// exponential backoff with jitter, so clients that failed together do not come back together.
    /// </summary>
    public static TimeSpan? For(int attempt, TimeSpan? retryAfter, double? random = null)
    {
        if (retryAfter is { } asked)
        {
            return asked <= MaxRetryAfter ? asked : null;
        }

        var backoffMs = Math.Min(MaxBackoff.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(backoffMs / 2 + (random ?? Random.Shared.NextDouble()) * backoffMs / 2);
    }
}
