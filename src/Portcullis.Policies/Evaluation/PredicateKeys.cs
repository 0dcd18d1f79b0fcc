using System.Globalization;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>
/// Canonical text of a predicate, used to share one node between policies that test the same
/// thing. Two predicates with the same key must mean exactly the same test.
/// </summary>
internal static class PredicateKeys
{
    /// <summary>The key, or null when the predicate must not be shared (it reads a velocity term).</summary>
    public static string? For(Expr predicate) => predicate switch
    {
        CompareExpr c => Join("cmp", c.Op.ToString(), Operand(c.Left), Operand(c.Right)),
        TextExpr t => Join("txt", t.Op.ToString(), Operand(t.Left), Operand(t.Right)),
        InExpr i => Join("in", i.Negated ? "not" : "", Operand(i.Left), string.Join(",", i.Items.Select(Literal))),
        ExistsExpr e => Join("exists", e.Negated ? "not" : "", "f:" + e.Field.Text, ""),
        MatchesExpr m => Join("matches", "", Operand(m.Left), Text(m.Regex.ToString())),
        _ => null,
    };

    private static string? Join(string kind, string op, string? left, string? right) =>
        left is null || right is null ? null : $"{kind} {op} {left} {right}";

    private static string? Operand(Operand operand) => operand switch
    {
        FieldOperand f => "f:" + f.Field.Text,
        LiteralOperand l => Literal(l.Value),
        _ => null,
    };

    private static string Literal(Literal literal) => literal.Kind switch
    {
        LiteralKind.Null => "null",
        LiteralKind.Boolean => literal.Boolean ? "true" : "false",
        LiteralKind.Number => literal.Decimal is { } d ? "n:" + d.ToString(CultureInfo.InvariantCulture) : "d:" + literal.Double.ToString("R", CultureInfo.InvariantCulture),
        _ => Text(literal.String ?? ""),
    };

    /// <summary>Length-prefixed, so no string content can imitate the separators.</summary>
    private static string Text(string s) => $"s{s.Length}:{s}";
}
