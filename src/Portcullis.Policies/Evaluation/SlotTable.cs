using System.Text;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>
/// Numbers every operand value an evaluation may need — request fields, JSON paths (and each
/// shared prefix), velocity terms — so the frame can compute each at most once per evaluation
/// and predicates read it by reference, without copying. JSON paths are interned into a tree:
/// <c>payload.customer.tier</c> and <c>payload.customer.email</c> share the <c>payload.customer</c> slot.
/// </summary>
/// <remarks>INVARIANT: only mutated while compiling; read-only (and so thread-safe) once evaluation starts.</remarks>
internal sealed class SlotTable
{
    public const int PayloadRoot = 0;
    public const int EvidenceRoot = 1;
    public const int ContextRoot = 2;

    /// <summary>Marks slots that are not JSON path steps (request fields and velocity terms).</summary>
    private const int NotAPath = -2;

    private static readonly FieldKind[] ContextFields =
    [
        FieldKind.ActionType, FieldKind.Provider, FieldKind.ResourceType, FieldKind.ResourceId, FieldKind.AgentId,
        FieldKind.AgentName, FieldKind.AgentVersion, FieldKind.RunTriggerType, FieldKind.RunExternalRef, FieldKind.Source,
        FieldKind.WorkflowId, FieldKind.WorkflowName, FieldKind.WorkflowStep,
    ];

    // INVARIANT: the JSON roots come first, at PayloadRoot, EvidenceRoot and ContextRoot.
    private readonly List<PathNode> _nodes = [new(-1, null, -1), new(-1, null, -1), new(-1, null, -1)];
    private readonly Dictionary<(int Parent, string? Name, int Index), int> _lookup = [];
    private readonly Dictionary<FieldKind, int> _contextSlots = [];
    private readonly Dictionary<int, ValueNode> _sharedNodes = [];
    private readonly Dictionary<string, CondNode> _predicates = new(StringComparer.Ordinal);
    private readonly Dictionary<CondNode, int> _predicateUses = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(string Term, string? ActionType), int> _velocitySlots = [];

    public int Count => _nodes.Count;

    /// <summary>Number of distinct cached predicates; see <see cref="SharedPredicate"/>.</summary>
    public int PredicateCount => _predicates.Count;

    public PathNode this[int slot] => _nodes[slot];

    /// <summary>The slot of a request field such as <c>provider</c>, shared by every use of it.</summary>
    public int ContextSlot(FieldKind kind)
    {
        if (!ContextFields.Contains(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a request field");
        }

        if (!_contextSlots.TryGetValue(kind, out var slot))
        {
            slot = AddPrivateSlot();
            _contextSlots[kind] = slot;
        }

        return slot;
    }

    /// <summary>
    /// The one value node reading <paramref name="slot"/>: every policy of a set shares it, which
    /// keeps the compiled set small and the node hot in the CPU cache.
    /// </summary>
    public ValueNode SharedNode(int slot, Func<int, ValueNode> create)
    {
        if (!_sharedNodes.TryGetValue(slot, out var node))
        {
            node = create(slot);
            _sharedNodes[slot] = node;
        }

        return node;
    }

    /// <summary>
    /// The one node for a predicate, identified by its canonical text: policies that test the same
    /// thing share the node, and it computes its answer once per evaluation.
    /// </summary>
    /// <remarks>A null key (a predicate over velocity, whose node depends on the policy's action type) is never shared.</remarks>
    public CondNode SharedPredicate(string? key, Func<int, CondNode> create)
    {
        key ??= $"\0unshared {_predicates.Count}";
        if (!_predicates.TryGetValue(key, out var node))
        {
            node = create(_predicates.Count);
            _predicates[key] = node;
        }

        _predicateUses[node] = _predicateUses.GetValueOrDefault(node) + 1;
        return node;
    }

    /// <summary>How many times the set uses this predicate node (0 for AND/OR/NOT nodes).</summary>
    public int UsesOf(CondNode node) => _predicateUses.GetValueOrDefault(node);

    /// <summary>
    /// One slot per distinct velocity query, so a figure used by many policies is looked up once.
    /// <paramref name="knownActionType"/> is the only action type the policy applies to, if any.
    /// </summary>
    public int VelocitySlot(VelocityTerm term, string? knownActionType)
    {
        // The action type only shapes the query with SAME ACTION; filters that read the request are part of the term's key.
        var key = (term.Key, term.SameAction ? knownActionType : null);
        if (!_velocitySlots.TryGetValue(key, out var slot))
        {
            slot = AddPrivateSlot();
            _velocitySlots[key] = slot;
        }

        return slot;
    }

    /// <summary>A slot of its own.</summary>
    private int AddPrivateSlot()
    {
        _nodes.Add(new PathNode(NotAPath, null, -1));
        return _nodes.Count - 1;
    }

    public int Intern(FieldRef field)
    {
        var slot = field.Kind switch
        {
            FieldKind.Payload => PayloadRoot,
            FieldKind.Evidence => EvidenceRoot,
            FieldKind.Context => ContextRoot,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field.Kind, "not a JSON field"),
        };
        foreach (var segment in field.Path)
        {
            var key = (slot, segment.Name, segment.IsIndex ? segment.Index : -1);
            if (!_lookup.TryGetValue(key, out var child))
            {
                child = _nodes.Count;
                _nodes.Add(new PathNode(slot, segment.Name is null ? null : Encoding.UTF8.GetBytes(segment.Name), segment.IsIndex ? segment.Index : -1));
                _lookup.Add(key, child);
            }

            slot = child;
        }

        return slot;
    }
}

/// <summary>One step below <see cref="Parent"/>: a property (UTF-8 name) or an array index. JSON roots have parent -1.</summary>
internal sealed record PathNode(int Parent, byte[]? Utf8Name, int Index);
