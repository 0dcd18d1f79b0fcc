namespace Portcullis.Policies;

/// <summary>What a velocity term aggregates.</summary>
public enum VelocityAggregate
{
    /// <summary>Number of earlier action requests in the window.</summary>
    Count,

    /// <summary>Sum of a payload field over earlier action requests in the window.</summary>
    Sum,
}

/// <summary>Whose earlier action requests a velocity term looks at.</summary>
public enum VelocityScope
{
    /// <summary>Requests made by the same agent as the current request.</summary>
    Agent,

    /// <summary>Requests made by any agent in the workspace.</summary>
    Workspace,

    /// <summary>Requests of the current request's run (<see cref="ActionContext.RunId"/>).</summary>
    Run,
}

/// <summary>
/// A figure the server must look up in storage before evaluation (see <see cref="PolicySet.VelocityQueriesFor"/>).
/// The value supplied for it covers <em>earlier</em> requests only, never the current one.
/// </summary>
/// <param name="Aggregate">Count of requests or sum of a payload field.</param>
/// <param name="SumPath">For <see cref="VelocityAggregate.Sum"/>: the path inside the payload in canonical form, e.g. <c>amount</c>, <c>items[0].price</c>, <c>["odd-key"]</c>; null for counts.</param>
/// <param name="Window">How far back to look from now; <see cref="TimeSpan.Zero"/> for the whole run (only with <see cref="VelocityScope.Run"/>).</param>
/// <param name="Scope">Same agent, whole workspace or same run.</param>
/// <param name="ActionType">Null for requests of any action type; the current action type when <c>SAME ACTION</c> was written.</param>
public sealed record VelocityQuery(VelocityAggregate Aggregate, string? SumPath, TimeSpan Window, VelocityScope Scope, string? ActionType)
{
    /// <summary>The tests of <c>WHERE …</c>, all of which an earlier request must pass; empty without one.</summary>
    public IReadOnlyList<VelocityFilter> Filters { get; init; } = [];

    /// <summary>
    /// Blocked requests do not count (they did not happen) unless a filter names <c>decision</c> or <c>status</c>:
    /// then the filter says which requests count, so a rule can ask about earlier blocks.
    /// </summary>
    public bool IncludesBlocked => Filters.Any(f => f.Field is EarlierField.Decision or EarlierField.Status);

    /// <summary>A filter compares with a value the current request does not have: no earlier request matches.</summary>
    public bool MatchesNothing => Filters.Any(f => f.Value.IsMissing);

    /// <summary>The query in condition syntax, e.g. <c>SUM(payload.amount, LAST 1d PER agent SAME ACTION)</c>.</summary>
    public override string ToString() => Syntax.VelocityText.Format(this);

    /// <summary>Equal queries ask for the same figure; the filters compare element by element.</summary>
    public bool Equals(VelocityQuery? other) =>
        other is not null && Aggregate == other.Aggregate && SumPath == other.SumPath && Window == other.Window
        && Scope == other.Scope && ActionType == other.ActionType && Filters.SequenceEqual(other.Filters);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = HashCode.Combine(Aggregate, SumPath, Window, Scope, ActionType, Filters.Count);
        foreach (var filter in Filters)
        {
            hash = HashCode.Combine(hash, filter);
        }

        return hash;
    }
}
