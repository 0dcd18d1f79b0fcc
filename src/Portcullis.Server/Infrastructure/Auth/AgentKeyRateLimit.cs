using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>
/// A token bucket per agent key (the key-id claim), so one runaway agent cannot starve the others. Requests
/// without an agent key (a member reading an approval) are not limited here.
/// </summary>
public sealed class AgentKeyRateLimit(IOptions<RateLimitOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "agent-key";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        httpContext.User.FindFirstValue(AgentClaims.KeyId) is { } keyId
            ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => Bucket(options.Value))
            : RateLimitPartition.GetNoLimiter("");

    // No timer per bucket: the partitioned limiter replenishes every partition's bucket from one timer.
    private static TokenBucketRateLimiterOptions Bucket(RateLimitOptions o) => new()
    {
        TokenLimit = Math.Max(1, o.AgentBurst),
        TokensPerPeriod = Math.Max(1, o.AgentRequestsPerSecond),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
    };

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = (int)Math.Ceiling(Math.Max(1, wait.TotalSeconds));
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Create(429, ErrorCodes.RateLimited, "Too many requests", $"this API key is limited; retry after {seconds} s",
            new Dictionary<string, object?> { ["retryAfter"] = seconds }).ExecuteAsync(http);
    }
}
