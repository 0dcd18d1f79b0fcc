using Portcullis.Policies.Evaluation;

namespace Portcullis.Policies.Sets;

/// <summary>
/// What the evaluation loop reads per candidate, laid out contiguously: the loop touches the
/// entry object itself only for scoped policies and for matches.
/// </summary>
internal readonly struct Candidate(PolicyEntry entry, SlotTable slots)
{
    public readonly int Rank = entry.Rank;
    public readonly bool IsScoped = entry.IsScoped;

    /// <summary>
    /// The condition's top-level conjuncts, evaluated by the walk itself (one call and one object less
    /// per candidate). Predicates shared by many policies come first: they are the likeliest to be
    /// answered already in this evaluation, and a false one spares computing the rest. Kleene AND
    /// is commutative, so the order changes cost only, never the result.
    /// </summary>
    public readonly CondNode[] Conjuncts = entry.Condition switch
    {
        AndNode and => [.. and.Items.OrderByDescending(slots.UsesOf)],
        ConstCondNode c when c == ConstCondNode.True => [],
        var single => [single],
    };

    public readonly PolicyEntry Entry = entry;
}

/// <summary>Policies that may apply to one action type, in precedence order.</summary>
internal sealed class CandidateList
{
    public static readonly CandidateList Empty = new([], new SlotTable());

    public CandidateList(IReadOnlyList<PolicyEntry> entries, SlotTable slots)
    {
        // INVARIANT: entries arrive sorted by rank (the merge in CandidateWalk relies on it).
        Items = [.. entries.Select(e => new Candidate(e, slots))];
        VelocityEntries = [.. entries.Where(e => e.UsesVelocity)];
    }

    public Candidate[] Items { get; }

    /// <summary>The candidates whose condition reads a velocity term; empty for most action types.</summary>
    public PolicyEntry[] VelocityEntries { get; }
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
