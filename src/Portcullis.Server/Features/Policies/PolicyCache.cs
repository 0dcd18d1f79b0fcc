using System.Collections.Concurrent;
using Portcullis.Policies;

namespace Portcullis.Server.Features.Policies;

/// <summary>
/// Each workspace's policies, compiled once per policy revision. The revision arrives with the agent's
/// key lookup, so a change made on any instance is seen by every instance on its next request.
/// </summary>
public sealed class PolicyCache(PolicyStore store)
{
    private readonly ConcurrentDictionary<string, (long Revision, PolicySet Set)> _sets = new(StringComparer.Ordinal);

    public async ValueTask<PolicySet> GetAsync(string workspaceId, long revision, CancellationToken ct)
    {
        if (_sets.TryGetValue(workspaceId, out var cached) && cached.Revision == revision)
        {
            return cached.Set;
        }

        var rows = await store.ListAsync(workspaceId, ct);
        // Stored conditions were valid when saved; one that no longer compiles is left out and reported by the compile result.
        var set = PolicySet.Compile(rows.Select(r => r.ToDefinition())).Set;
        _sets[workspaceId] = (revision, set);
        return set;
    }
}
