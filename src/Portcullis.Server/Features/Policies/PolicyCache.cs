using System.Collections.Concurrent;
using Portcullis.Policies;

namespace Portcullis.Server.Features.Policies;

/// <summary>
/// Each workspace's policies, compiled once per policy revision. The revision arrives with the agent's
/// key lookup, so a change made on any instance is seen by every instance on its next request.
/// </summary>
public sealed class PolicyCache(PolicyStore store)
{
    private readonly ConcurrentDictionary<string, WorkspacePolicies> _sets = new(StringComparer.Ordinal);

    /// <summary>The policies that decide: every enforced one.</summary>
    public async ValueTask<PolicySet> GetAsync(string workspaceId, long revision, CancellationToken ct) =>
        (await GetBothAsync(workspaceId, revision, ct)).Enforced;

    /// <summary>
    /// The enforced policies, and the shadow ones compiled apart, evaluated beside them and never deciding. The sets carry
    /// the revision they were read at, which may be newer than <paramref name="revision"/> (the one the caller's key lookup
    /// saw): that is the revision a decision made with them records.
    /// </summary>
    public async ValueTask<WorkspacePolicies> GetBothAsync(string workspaceId, long revision, CancellationToken ct)
    {
        if (_sets.TryGetValue(workspaceId, out var cached) && cached.Revision >= revision)
        {
            return cached;
        }

        var (rows, read) = await store.SnapshotAsync(workspaceId, ct);
        // Stored conditions were valid when saved; one that no longer compiles is left out and reported by the compile result.
        var sets = new WorkspacePolicies(
            PolicySet.Compile(rows.Where(r => !r.IsShadow).Select(r => r.ToDefinition())).Set,
            PolicySet.Compile(rows.Where(r => r.IsShadow).Select(r => r.ToDefinition())).Set,
            read);
        _sets.AddOrUpdate(workspaceId, sets, (_, current) => current.Revision >= sets.Revision ? current : sets);
        return sets;
    }
}

/// <param name="Shadow">Shadow policies: empty (<see cref="PolicySet.Count"/> 0) in most workspaces.</param>
/// <param name="Revision">The workspace's policy revision these sets are.</param>
public sealed record WorkspacePolicies(PolicySet Enforced, PolicySet Shadow, long Revision);
