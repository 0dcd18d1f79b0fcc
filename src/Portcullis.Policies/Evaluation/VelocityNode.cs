using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>
/// <c>COUNT(…)</c> or <c>SUM(…)</c>: the supplied figure for earlier requests, plus (for SUM) the
/// current request's own value so a policy can ask "would this request push the total over".
/// <c>filterValues</c> holds, per <c>WHERE</c> test, the node reading the current request's field it compares with
/// (null for a literal).
/// </summary>
internal sealed class VelocityNode(VelocityTerm term, int slot, int sumSlot, string? knownActionType, ValueNode?[] filterValues) : ValueNode
{
    private static readonly Value ErrorValue = Value.Error;

    private readonly IReadOnlyList<VelocityFilter>? _staticFilters = term.StaticFilters();

    // The query never changes without SAME ACTION, nor in a policy that only applies to one action type,
    // unless a filter reads the current request.
    private readonly VelocityQuery? _fixedQuery = term.HasDynamicFilter ? null
        : !term.SameAction ? term.ToQuery(null, term.StaticFilters()!)
        : knownActionType is not null ? term.ToQuery(knownActionType, term.StaticFilters()!)
        : null;

    // Last SAME ACTION query built; requests usually repeat action types. Replacing an immutable
    // record reference is atomic, so racing threads at worst build the same query twice.
    private VelocityQuery? _lastSameAction;

    public VelocityTerm Term { get; } = term;

    public VelocityQuery QueryFor(EvalFrame f)
    {
        if (_fixedQuery is not null)
        {
            return _fixedQuery;
        }

        var actionType = f.Context.ActionType;
        if (_staticFilters is null)
        {
            // A filter compares with this request's own values: the query is this request's alone.
            return Term.ToQuery(actionType, ResolveFilters(f));
        }

        var cached = _lastSameAction;
        if (cached is not null && string.Equals(cached.ActionType, actionType ?? "", StringComparison.Ordinal))
        {
            return cached;
        }

        var query = Term.ToQuery(actionType, _staticFilters);
        _lastSameAction = query;
        return query;
    }

    private VelocityFilter[] ResolveFilters(EvalFrame f)
    {
        var resolved = new VelocityFilter[Term.Filters.Count];
        for (var i = 0; i < resolved.Length; i++)
        {
            var filter = Term.Filters[i];
            resolved[i] = filter.Resolve(filterValues[i] is { } node
                ? ToFilterValue(node.Get(f))
                : ((LiteralOperand)filter.Right).Value.ToFilterValue());
        }

        return resolved;
    }

    /// <summary>Strings, numbers and booleans compare; anything else (missing, null, objects, arrays) matches nothing.</summary>
    private static FilterValue ToFilterValue(in Value value) => value.Kind switch
    {
        ValueKind.String => new FilterValue(Text: value.AsString()),
        ValueKind.Number when value.HasDecimal => new FilterValue(Number: value.Decimal),
        ValueKind.True => new FilterValue(Boolean: true),
        ValueKind.False => new FilterValue(Boolean: false),
        _ => FilterValue.Missing,
    };

    public override ref readonly Value Get(EvalFrame f)
    {
        if (f.CollectedQueries is { } collected)
        {
            // Collecting: the value is unknown by definition; never cache it.
            collected.Add(QueryFor(f));
            return ref ErrorValue;
        }

        ref var s = ref f.Slots[slot];
        if (s.Generation != f.Generation)
        {
            s.Value = Compute(f);
            s.Generation = f.Generation;
        }

        if (s.Value.Kind == ValueKind.Error)
        {
            // Every policy using this term reports the failure, not only the first one to compute it.
            var query = QueryFor(f);
            var action = query.ActionType is null ? "" : $" (action `{query.ActionType}`)";
            f.Fail(DiagnosticCodes.VelocityUnavailable, $"no velocity value was supplied for `{query}`{action}");
        }

        return ref s.Value;
    }

    private Value Compute(EvalFrame f)
    {
        var query = QueryFor(f);
        if (f.Velocity is null || !f.Velocity.TryGetValue(query, out var earlier))
        {
            return Value.Error;
        }

        if (Term.Aggregate == VelocityAggregate.Count)
        {
            return Value.Of(earlier);
        }

        var current = CurrentAmount(f);
        if (current.HasDecimal)
        {
            // decimal addition can overflow only near 7.9e28; fall back to double rather than throw.
            return Math.Abs(earlier) < 1e27m && Math.Abs(current.Decimal) < 1e27m
                ? Value.Of(earlier + current.Decimal)
                : Value.Of((double)earlier + current.Double);
        }

        return Value.Of((double)earlier + current.Double);
    }

    /// <summary>The current request's value of the summed field; anything that is not a number adds nothing.</summary>
    private Value CurrentAmount(EvalFrame f)
    {
        ref readonly var value = ref JsonPathNode.Resolve(f, sumSlot);
        if (value.Kind == ValueKind.String)
        {
            // A numeric string counts as its number, as it does in comparisons.
            return NumberText.TryParse(value.AsString(), out var dec, out var dbl) ? Value.Number(dec, dbl) : Value.Of(0m);
        }

        return value.Kind == ValueKind.Number && !double.IsNaN(value.Double) ? value : Value.Of(0m);
    }
}
