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

    public string Describe() => Kind switch
    {
        LiteralKind.Null => "`null`",
        LiteralKind.Boolean => Boolean ? "`true`" : "`false`",
        LiteralKind.Number => $"number `{(Decimal is { } d ? d.ToString(CultureInfo.InvariantCulture) : Double.ToString("R", CultureInfo.InvariantCulture))}`",
        _ => $"string `{String}`",
    };
}

/// <summary><c>COUNT(LAST 1h PER agent)</c> or <c>SUM(payload.amount, LAST 1d PER workspace SAME ACTION)</c>.</summary>
internal sealed record VelocityTerm(VelocityAggregate Aggregate, FieldRef? SumField, TimeSpan Window, VelocityScope Scope, bool SameAction)
{
    /// <summary>The query for a request of <paramref name="actionType"/>.</summary>
    public VelocityQuery ToQuery(string? actionType) => new(
        Aggregate,
        SumField is null ? null : Fields.RelativePathText(SumField.Path),
        Window,
        Scope,
        SameAction ? actionType ?? "" : null);
}
