using System.Collections.Concurrent;

namespace Portcullis.Server.Infrastructure.Jobs;

/// <summary>
/// The jobs this process is working on at this moment. Only these get their leases renewed: a job whose holder finished
/// badly (its result transaction failed) is let go, so its lease runs out and recovery takes it.
/// </summary>
public sealed class JobLeases
{
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);

    public IDisposable Hold(string jobId)
    {
        _held[jobId] = 0;
        return new Release(this, jobId);
    }

    public IReadOnlyList<string> Snapshot() => _held.Keys.ToList();

    public int Count => _held.Count;

    private sealed class Release(JobLeases owner, string jobId) : IDisposable
    {
        public void Dispose() => owner._held.TryRemove(jobId, out _);
    }
}
