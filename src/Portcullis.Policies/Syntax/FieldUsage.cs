namespace Portcullis.Policies.Syntax;

/// <summary>
/// The request fields a condition reads, by root name (<c>action_type</c>, <c>agent.id</c>, <c>payload</c>, …). A
/// condition that reads none of a request's unknown fields has the same outcome for every such request, which is
/// what a static question ("does this policy always match here?") needs.
/// </summary>
internal static class FieldUsage
{
    public static IReadOnlySet<string> Collect(Expr expr)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Walk(expr, names);
        return names;
    }

    private static void Walk(Expr expr, HashSet<string> names)
    {
        switch (expr)
        {
            case AndExpr and:
                WalkAll(and.Items, names);
                break;
            case OrExpr or:
                WalkAll(or.Items, names);
                break;
            case NotExpr not:
                Walk(not.Operand, names);
                break;
            case CompareExpr compare:
                Add(compare.Left, names);
                Add(compare.Right, names);
                break;
            case InExpr @in:
                Add(@in.Left, names);
                break;
            case TextExpr text:
                Add(text.Left, names);
                Add(text.Right, names);
                break;
            case MatchesExpr matches:
                Add(matches.Left, names);
                break;
            case ExistsExpr exists:
                names.Add(Root(exists.Field));
                break;
        }
    }

    private static void WalkAll(IReadOnlyList<Expr> items, HashSet<string> names)
    {
        foreach (var item in items)
        {
            Walk(item, names);
        }
    }

    private static void Add(Operand operand, HashSet<string> names)
    {
        switch (operand)
        {
            case FieldOperand field:
                names.Add(Root(field.Field));
                break;
            case VelocityOperand velocity:
                // A velocity term reads the store (earlier requests), and its SUM reads the payload.
                names.Add(CompiledCondition.VelocityField);
                if (velocity.Term.SumField is { } sum)
                {
                    names.Add(Root(sum));
                }

                foreach (var filter in velocity.Term.Filters)
                {
                    Add(filter.Right, names); // a test against the current request reads that field
                }

                break;
        }
    }

    private static string Root(FieldRef field) => field.Kind switch
    {
        FieldKind.Payload => "payload",
        FieldKind.Evidence => "evidence",
        FieldKind.Context => "context",
        _ => field.Text,
    };
}
