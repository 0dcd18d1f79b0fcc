using System.Globalization;
using System.Text.RegularExpressions;

namespace Portcullis.Policies.Syntax;

// The syntax tree keeps source spans so later checks can point at the offending text.
internal abstract record Expr(int Start, int Length);

internal sealed record AndExpr(IReadOnlyList<Expr> Items, int Start, int Length) : Expr(Start, Length);

internal sealed record OrExpr(IReadOnlyList<Expr> Items, int Start, int Length) : Expr(Start, Length);

internal sealed record NotExpr(Expr Operand, int Start, int Length) : Expr(Start, Length);

internal enum CompareOp
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal sealed record CompareExpr(Operand Left, CompareOp Op, Operand Right, int Start, int Length) : Expr(Start, Length);

internal sealed record InExpr(Operand Left, IReadOnlyList<Literal> Items, bool Negated, int Start, int Length) : Expr(Start, Length);

internal enum TextOp
{
    Contains,
    StartsWith,
    EndsWith,
}

internal sealed record TextExpr(Operand Left, TextOp Op, Operand Right, int Start, int Length) : Expr(Start, Length);

internal sealed record MatchesExpr(Operand Left, Regex Regex, int Start, int Length) : Expr(Start, Length);

internal sealed record ExistsExpr(FieldRef Field, bool Negated, int Start, int Length) : Expr(Start, Length);

/// <summary>Stands in for a predicate that had a syntax error; a tree containing one is never compiled.</summary>
internal sealed record ErrorExpr(int Start, int Length) : Expr(Start, Length);

internal abstract record Operand(int Start, int Length);

internal sealed record FieldOperand(FieldRef Field, int Start, int Length) : Operand(Start, Length);

internal sealed record LiteralOperand(Literal Value, int Start, int Length) : Operand(Start, Length);

internal sealed record VelocityOperand(VelocityTerm Term, int Start, int Length) : Operand(Start, Length);

internal enum LiteralKind
{
    Null,
    Boolean,
    Number,
    String,
}

/// <summary>A constant. Numbers keep a decimal when they fit one and always a double.</summary>
internal sealed record Literal(LiteralKind Kind, string? String = null, decimal? Decimal = null, double Double = 0, bool Boolean = false)
{
    public static Literal Null { get; } = new(LiteralKind.Null);

    public static Literal Of(bool value) => new(LiteralKind.Boolean, Boolean: value);

    public static Literal Of(string value) => new(LiteralKind.String, String: value);

    public static Literal Of(decimal? dec, double dbl) => new(LiteralKind.Number, Decimal: dec, Double: dbl);

    /// <summary>The literal as a filter value (the parser refuses <c>null</c> in filters).</summary>
    public FilterValue ToFilterValue() => Kind switch
    {
        LiteralKind.String => new FilterValue(Text: String ?? ""),
        LiteralKind.Number => Decimal is { } d ? new FilterValue(Number: d) : FilterValue.Missing,
        LiteralKind.Boolean => new FilterValue(Boolean: Boolean),
        _ => FilterValue.Missing,
    };

    public string Describe() => Kind switch
    {
        LiteralKind.Null => "`null`",
        LiteralKind.Boolean => Boolean ? "`true`" : "`false`",
        LiteralKind.Number => $"number `{(Decimal is { } d ? d.ToString(CultureInfo.InvariantCulture) : Double.ToString("R", CultureInfo.InvariantCulture))}`",
        _ => $"string `{String}`",
    };
}

/// <summary>
/// <c>COUNT(LAST 1h PER agent)</c>, <c>SUM(payload.amount, LAST 1d PER workspace SAME ACTION)</c> or
/// <c>COUNT(PER run WHERE action_type = charge.retrieve AND payload.chargeId = payload.charge)</c>.
/// <paramref name="Window"/> is <see cref="TimeSpan.Zero"/> for a whole run.
/// </summary>
internal sealed record VelocityTerm(VelocityAggregate Aggregate, FieldRef? SumField, TimeSpan Window, VelocityScope Scope, bool SameAction, IReadOnlyList<FilterTerm> Filters)
{
    /// <summary>True when a filter compares with a field of the current request, so the query differs per request.</summary>
    public bool HasDynamicFilter => Filters.Any(f => f.Right is FieldOperand);

    /// <summary>The query for a request of <paramref name="actionType"/>, with the filters' values already resolved.</summary>
    public VelocityQuery ToQuery(string? actionType, IReadOnlyList<VelocityFilter> filters) => new(
        Aggregate,
        SumField is null ? null : Fields.RelativePathText(SumField.Path),
        Window,
        Scope,
        SameAction ? actionType ?? "" : null)
    {
        Filters = filters,
    };

    /// <summary>The filters when every one compares with a literal; null when one reads the current request.</summary>
    public IReadOnlyList<VelocityFilter>? StaticFilters() =>
        HasDynamicFilter ? null : [.. Filters.Select(f => f.Resolve(((LiteralOperand)f.Right).Value.ToFilterValue()))];

    /// <summary>A stable text for the term itself (filter values unresolved), used to share one slot per distinct term.</summary>
    public string Key => string.Join(" ", Aggregate, SumField is null ? "" : Fields.RelativePathText(SumField.Path), Window.Ticks, Scope, SameAction, string.Join(" AND ", Filters.Select(f => f.Key)));
}

/// <summary>
/// One test of a velocity term's <c>WHERE</c>: a field of the earlier request on the left, a literal or a field of
/// the current request on the right (compared for equality, or present-and-different when <paramref name="Negated"/>).
/// </summary>
internal sealed record FilterTerm(EarlierField Field, FieldRef? PayloadField, bool Negated, Operand Right)
{
    public VelocityFilter Resolve(FilterValue value) =>
        new(Field, PayloadField is null ? null : Fields.RelativePathText(PayloadField.Path), Negated, value);

    public string Key => $"{Field}:{PayloadField?.Text} {(Negated ? "!=" : "=")} " + Right switch
    {
        FieldOperand f => "f:" + f.Field.Text,
        LiteralOperand l => l.Value.ToFilterValue().ToString(),
        _ => "?",
    };
}
