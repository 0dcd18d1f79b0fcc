using System.Threading.RateLimiting;

namespace Portcullis.Connectors.Http;

/// <summary>Raised when a credential's token bucket stays empty for the whole allowed wait.</summary>
internal sealed class RateLimitExceededException() : Exception("the credential's rate limit is exhausted");

/// <summary>
/// A token bucket per credential: bursts of up to N calls, then N per second. Keyed by credential id so
/// one busy agent cannot exhaust the provider quota of every other credential.
/// </summary>
internal sealed class CredentialRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _maxWait;

    public CredentialRateLimiter(int ratePerSecond, TimeSpan maxWait)
    {
        _maxWait = maxWait;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = ratePerSecond,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / ratePerSecond),
                QueueLimit = ratePerSecond * 10,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes one token, waiting at most the configured time.</summary>
    /// <exception cref="RateLimitExceededException">No token within the wait.</exception>
    public async ValueTask AcquireAsync(string credentialId, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(_maxWait);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(credentialId, 1, wait.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new RateLimitExceededException();
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                throw new RateLimitExceededException();
            }
        }
    }

    public void Dispose() => _limiter.Dispose();
}
