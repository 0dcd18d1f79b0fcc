using Portcullis.Policies.Evaluation;

namespace Portcullis.Policies.Sets;

/// <summary>A compiled, enabled policy inside a <see cref="PolicySet"/>, with everything its result needs precomputed.</summary>
internal sealed class PolicyEntry
{
    private const int LinearScopeLimit = 8;

    private readonly string[]? _agentList;
    private readonly HashSet<string>? _agentSet;

    public PolicyEntry(PolicyDefinition definition, CondNode condition, string[]? actionTypes, bool usesVelocity)
    {
        Id = definition.Id;
        Name = definition.Name;
        Decision = definition.Decision;
        Condition = condition;
        ActionTypes = actionTypes;
        UsesVelocity = usesVelocity;
        Result = new MatchedPolicy(definition.Id, definition.Name, definition.Decision, definition.Reason, definition.Priority, definition.ApprovalsRequired,
            definition.AllowEdit, definition.Routing);
        WinningReason = string.IsNullOrEmpty(definition.Reason) ? $"matched policy `{definition.Name}`" : definition.Reason;

        // Only null entries are dropped: a list of blank ids still scopes the policy (to no real agent)
        // rather than silently widening it to every agent.
        var agents = definition.AgentIds?.Where(a => a is not null).Distinct(StringComparer.Ordinal).ToArray();
        if (agents is { Length: > LinearScopeLimit })
        {
            _agentSet = new HashSet<string>(agents, StringComparer.Ordinal);
        }
        else if (agents is { Length: > 0 })
        {
            _agentList = agents;
        }
    }

    public string Id { get; }

    public string Name { get; }

    public PolicyDecision Decision { get; }

    /// <summary>The condition without the action-type conjuncts the index already guarantees.</summary>
    public CondNode Condition { get; }

    /// <summary>Action types this policy is a candidate for; null for any.</summary>
    public IReadOnlyList<string>? ActionTypes { get; }

    public bool UsesVelocity { get; }

    /// <summary>Reused in every result: records are immutable, so sharing is safe and saves allocation.</summary>
    public MatchedPolicy Result { get; }

    public string WinningReason { get; }

    /// <summary>Position in the set's precedence order (0 = would win over everything).</summary>
    /// <remarks>INVARIANT: assigned once while the set is built, before any evaluation.</remarks>
    public int Rank { get; set; }

    /// <summary>Fail closed: an allow that cannot be evaluated is not granted; a block or approval that cannot be evaluated applies.</summary>
    public bool MatchesOnError => Decision >= PolicyDecision.RequireApproval;

    /// <summary>True when the policy is limited to some agents.</summary>
    public bool IsScoped => _agentList is not null || _agentSet is not null;

    public bool AppliesTo(string? agentId)
    {
        if (!IsScoped)
        {
            return true;
        }

        if (agentId is null)
        {
            return false;
        }

        if (_agentSet is not null)
        {
            return _agentSet.Contains(agentId);
        }

        foreach (var id in _agentList!)
        {
            if (string.Equals(id, agentId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
