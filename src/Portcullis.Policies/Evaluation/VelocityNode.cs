using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>
/// <c>COUNT(…)</c> or <c>SUM(…)</c>: the supplied figure for earlier requests, plus (for SUM) the
/// current request's own value so a policy can ask "would this request push the total over".
/// </summary>
internal sealed class VelocityNode(VelocityTerm term, int sumSlot) : ValueNode
{
    // For terms without SAME ACTION the query never changes.
    private readonly VelocityQuery? _fixedQuery = term.SameAction ? null : term.ToQuery(null);

    // Last SAME ACTION query built; requests usually repeat action types. Replacing an immutable
    // record reference is atomic, so racing threads at worst build the same query twice.
    private VelocityQuery? _lastSameAction;

    public VelocityTerm Term { get; } = term;

    public VelocityQuery QueryFor(string? actionType)
    {
        if (_fixedQuery is not null)
        {
            return _fixedQuery;
        }

        var cached = _lastSameAction;
        if (cached is not null && string.Equals(cached.ActionType, actionType ?? "", StringComparison.Ordinal))
        {
            return cached;
        }

        var query = Term.ToQuery(actionType);
        _lastSameAction = query;
        return query;
    }

    public override Value Get(EvalFrame f)
    {
        var query = QueryFor(f.Context.ActionType);
        if (f.CollectedQueries is { } collected)
        {
            collected.Add(query);
            return Value.Error;
        }

        if (f.Velocity is null || !f.Velocity.TryGetValue(query, out var earlier))
        {
            var action = query.ActionType is null ? "" : $" (action `{query.ActionType}`)";
            f.Fail(DiagnosticCodes.VelocityUnavailable, $"no velocity value was supplied for `{query}`{action}");
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
        var value = JsonPathNode.Resolve(f, sumSlot);
        if (value.Kind == ValueKind.String)
        {
            // A numeric string counts as its number, as it does in comparisons.
            return NumberText.TryParse(value.AsString(), out var dec, out var dbl) ? Value.Number(dec, dbl) : Value.Of(0m);
        }

        return value.Kind == ValueKind.Number && !double.IsNaN(value.Double) ? value : Value.Of(0m);
    }
}
