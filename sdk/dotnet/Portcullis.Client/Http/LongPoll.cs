using System.Diagnostics;

namespace Portcullis.Client.Http;

/// <summary>The wait loop on the server's long-poll, shared by approvals and workflow runs.</summary>
internal static class LongPoll
{
    /// <summary>The server holds a long-poll for at most this long.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Long-polls with <paramref name="fetch"/> (at most 60 s each, never past the deadline) until
    /// <paramref name="settled"/> holds or <paramref name="timeout"/> is up, and returns the last answer either way.
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        Func<TimeSpan, Task<T>> fetch,
        Func<T, bool> settled,
        TimeSpan timeout,
        TimeSpan? pollInterval,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var pause = pollInterval ?? DefaultPollInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(pause, TimeSpan.Zero, nameof(pollInterval));
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var wholeSecondsLeft = Math.Floor((timeout - Stopwatch.GetElapsedTime(started)).TotalSeconds);
            var wait = TimeSpan.FromSeconds(Math.Clamp(wholeSecondsLeft, 0, Max.TotalSeconds));
            var answer = await fetch(wait);
            var left = timeout - Stopwatch.GetElapsedTime(started);
            if (settled(answer) || left <= TimeSpan.Zero)
            {
                return answer;
            }

            await Task.Delay(pause < left ? pause : left, cancellationToken);
        }
    }

    /// <summary>The path with <c>?waitSeconds=</c> when there is a wait, whole seconds.</summary>
    public static string WithWait(string path, TimeSpan wait) =>
        wait > TimeSpan.Zero ? $"{path}?waitSeconds={(int)wait.TotalSeconds}" : path;
}
