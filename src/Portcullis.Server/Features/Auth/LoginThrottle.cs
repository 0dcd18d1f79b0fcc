using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Auth;

/// <summary>
/// SECURITY: counts failed sign-ins per account (the normalised email) and per client address, in fixed windows. Only
/// failures count: page views and successful sign-ins never do, so nobody can lock the owner out by loading the sign-in
/// page, and one busy office behind a proxy is not one bucket (the address is the forwarded one, from a known proxy).
/// Kept in memory per instance: a cluster multiplies the allowance by its size, which still bounds guessing.
/// </summary>
public sealed class LoginThrottle(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private static readonly TimeSpan AddressWindow = TimeSpan.FromMinutes(1);
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    private sealed record Window(DateTimeOffset Ends, int Failures);

    /// <summary>How long the client address must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? AddressWait(string? address) =>
        Locked(AddressKey(address), options.Value.LoginAttemptsPerMinute, time.GetUtcNow());

    /// <summary>How long the account is locked for, or null when it is not.</summary>
    public TimeSpan? AccountWait(string email) =>
        Locked(AccountKey(email), options.Value.LoginFailuresPerAccount, time.GetUtcNow());

    /// <summary>Counts one failed sign-in against the account and the address.</summary>
    public void Failed(string email, string? address)
    {
        var now = time.GetUtcNow();
        Count(AccountKey(email), TimeSpan.FromMinutes(options.Value.LoginLockoutMinutes), now);
        Count(AddressKey(address), AddressWindow, now);

        if (_windows.Count > PruneAbove)
        {
            foreach (var (key, window) in _windows.Where(w => w.Value.Ends <= now))
            {
                _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
            }
        }
    }

    /// <summary>A correct password clears the account's failures (not the address's: a guesser may own one account).</summary>
    public void Succeeded(string email) => _windows.TryRemove(AccountKey(email), out _);

    private TimeSpan? Locked(string key, int limit, DateTimeOffset now) =>
        _windows.TryGetValue(key, out var w) && w.Ends > now && w.Failures >= limit ? w.Ends - now : null;

    private void Count(string key, TimeSpan length, DateTimeOffset now) =>
        _windows.AddOrUpdate(key, _ => new Window(now + length, 1), (_, w) => w.Ends > now ? w with { Failures = w.Failures + 1 } : new Window(now + length, 1));

    private static string AccountKey(string email) => "account:" + email;

    // A server that reports no peer address (an in-process test host) shares one bucket, as before.
    private static string AddressKey(string? address) => "address:" + (address ?? "unknown");
}
