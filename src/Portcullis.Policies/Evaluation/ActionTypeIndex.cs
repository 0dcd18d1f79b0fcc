using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>
/// Finds the action types a condition can match from its top-level AND-conjuncts of the form
/// <c>action_type = X</c> or <c>action_type IN (X, Y)</c>. Policy sets index on them and evaluate
/// only the rest of the condition (the residual), because for a candidate those conjuncts are true.
/// </summary>
internal static class ActionTypeIndex
{
    /// <summary>
    /// Returns the action types (null: any; empty: none, the conjuncts contradict each other) and the
    /// residual expression (null: nothing left to test).
    /// </summary>
    public static (string[]? ActionTypes, Expr? Residual) Split(Expr expr)
    {
        HashSet<string>? types = null;
        var rest = new List<Expr>();
        foreach (var conjunct in Conjuncts(expr))
        {
            if (TryActionTypes(conjunct) is { } set)
            {
                if (types is null)
                {
                    types = new HashSet<string>(set, StringComparer.Ordinal);
                }
                else
                {
                    types.IntersectWith(set);
                }
            }
            else
            {
                rest.Add(conjunct);
            }
        }

        if (types is null)
        {
            return (null, expr);
        }

        Expr? residual = rest.Count switch
        {
            0 => null,
            1 => rest[0],
            _ => new AndExpr(rest, expr.Start, expr.Length),
        };
        return ([.. types.Order(StringComparer.Ordinal)], residual);
    }

    private static IEnumerable<Expr> Conjuncts(Expr expr) =>
        expr is AndExpr and ? and.Items.SelectMany(Conjuncts) : [expr];

    private static IEnumerable<string>? TryActionTypes(Expr expr) => expr switch
    {
        CompareExpr { Op: CompareOp.Equal, Left: FieldOperand { Field.Kind: FieldKind.ActionType }, Right: LiteralOperand { Value: { Kind: LiteralKind.String } r } } => [r.String!],
        CompareExpr { Op: CompareOp.Equal, Right: FieldOperand { Field.Kind: FieldKind.ActionType }, Left: LiteralOperand { Value: { Kind: LiteralKind.String } l } } => [l.String!],
        InExpr { Negated: false, Left: FieldOperand { Field.Kind: FieldKind.ActionType } } list
            when list.Items.All(x => x.Kind == LiteralKind.String) => list.Items.Select(x => x.String!),
        _ => null,
    };
}
