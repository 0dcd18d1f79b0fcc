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
}

/// <summary>
/// A figure the server must look up in storage before evaluation (see <see cref="PolicySet.VelocityQueriesFor"/>).
/// The value supplied for it covers <em>earlier</em> requests only, never the current one.
/// </summary>
/// <param name="Aggregate">Count of requests or sum of a payload field.</param>
/// <param name="SumPath">For <see cref="VelocityAggregate.Sum"/>: the path inside the payload in canonical form, e.g. <c>amount</c>, <c>items[0].price</c>, <c>["odd-key"]</c>; null for counts.</param>
/// <param name="Window">How far back to look from now.</param>
/// <param name="Scope">Same agent or whole workspace.</param>
/// <param name="ActionType">Null for requests of any action type; the current action type when <c>SAME ACTION</c> was written.</param>
public sealed record VelocityQuery(VelocityAggregate Aggregate, string? SumPath, TimeSpan Window, VelocityScope Scope, string? ActionType)
{
    /// <summary>The query in condition syntax, e.g. <c>SUM(payload.amount, LAST 1d PER agent SAME ACTION)</c>.</summary>
    public override string ToString() => Syntax.VelocityText.Format(this);
}
