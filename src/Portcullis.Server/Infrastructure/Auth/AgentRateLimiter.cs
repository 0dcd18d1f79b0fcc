using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>A token bucket per agent key, so one runaway agent cannot starve the others.</summary>
public sealed class AgentRateLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one permit for the key; on refusal, how long to wait.</summary>
    public (bool Acquired, TimeSpan RetryAfter) TryAcquire(string keyId)
    {
        var bucket = _buckets.GetOrAdd(keyId, _ => Create(options.Value));
        using var lease = bucket.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return (true, TimeSpan.Zero);
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return (false, retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter);
    }

    private static TokenBucketRateLimiter Create(RateLimitOptions o) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = Math.Max(1, o.AgentBurst),
        TokensPerPeriod = Math.Max(1, o.AgentRequestsPerSecond),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }
    }
}
