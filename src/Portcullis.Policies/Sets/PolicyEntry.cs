using Portcullis.Policies.Evaluation;

namespace Portcullis.Policies.Sets;

/// <summary>A compiled, enabled policy inside a <see cref="PolicySet"/>, with everything its result needs precomputed.</summary>
internal sealed class PolicyEntry
{
    private const int LinearScopeLimit = 8;

    private readonly string[]? _agentList;
    private readonly HashSet<string>? _agentSet;

    public PolicyEntry(PolicyDefinition definition, CompiledCondition condition)
    {
        Id = definition.Id;
        Name = definition.Name;
        Decision = definition.Decision;
        Condition = condition.Residual;
        ActionTypes = condition.ActionTypes;
        UsesVelocity = condition.UsesVelocity;
        Result = new MatchedPolicy(definition.Id, definition.Name, definition.Decision, definition.Reason, definition.Priority, definition.ApprovalsRequired);
        WinningReason = string.IsNullOrEmpty(definition.Reason) ? $"matched policy `{definition.Name}`" : definition.Reason;

        var agents = definition.AgentIds?.Where(a => !string.IsNullOrEmpty(a)).Distinct(StringComparer.Ordinal).ToArray();
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
    public int Rank { get; set; }

    /// <summary>Fail closed: an allow that cannot be evaluated is not granted; a block or approval that cannot be evaluated applies.</summary>
    public bool MatchesOnError => Decision >= PolicyDecision.RequireApproval;

    public bool AppliesTo(string? agentId)
    {
        if (_agentList is null && _agentSet is null)
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

/// <summary>Policies that may apply to one action type, in precedence order.</summary>
internal sealed class CandidateList(PolicyEntry[] entries)
{
    public static readonly CandidateList Empty = new([]);

    public PolicyEntry[] Entries { get; } = entries;

    public bool UsesVelocity { get; } = entries.Any(e => e.UsesVelocity);
}

/// <summary>A growable buffer reused across evaluations on one thread.</summary>
internal sealed class PolicyEntryBuffer
{
    private PolicyEntry[] _items = new PolicyEntry[16];

    public int Count { get; private set; }

    public PolicyEntry this[int index] => _items[index];

    public void Add(PolicyEntry entry)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = entry;
    }

    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }
}
