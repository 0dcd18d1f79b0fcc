using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>Turns a checked syntax tree into evaluator nodes. Only called on trees without diagnostics.</summary>
internal sealed class Compiler(PathTable paths)
{
    private readonly List<VelocityNode> _velocity = [];

    /// <summary>Velocity terms met so far, in source order.</summary>
    public IReadOnlyList<VelocityNode> VelocityNodes => _velocity;

    public CondNode Compile(Expr expr) => expr switch
    {
        AndExpr and => new AndNode([.. Flatten<AndExpr>(and.Items, a => a.Items).Select(Compile)]),
        OrExpr or => new OrNode([.. Flatten<OrExpr>(or.Items, o => o.Items).Select(Compile)]),
        NotExpr not => new NotNode(Compile(not.Operand)),
        CompareExpr c => new CompareNode(Operand(c.Left), c.Op, Operand(c.Right)),
        TextExpr t => new TextNode(Operand(t.Left), t.Op, Operand(t.Right)),
        InExpr i => new InNode(Operand(i.Left), [.. i.Items.Select(ToValue)], i.Negated),
        ExistsExpr e => new ExistsNode(Field(e.Field), e.Negated),
        MatchesExpr m => new MatchesNode(Operand(m.Left), m.Regex, Describe(m.Left)),
        _ => throw new InvalidOperationException($"cannot compile {expr.GetType().Name}; the parser reported it"),
    };

    public static Value ToValue(Literal literal) => literal.Kind switch
    {
        LiteralKind.Null => Value.Null,
        LiteralKind.Boolean => Value.Of(literal.Boolean),
        LiteralKind.Number => Value.Number(literal.Decimal, literal.Double),
        _ => Value.Literal(literal.String ?? ""),
    };

    /// <summary>(a AND b) AND c is compiled as one AND of three: fewer virtual calls, same meaning.</summary>
    private static IEnumerable<Expr> Flatten<T>(IEnumerable<Expr> items, Func<T, IReadOnlyList<Expr>> children)
        where T : Expr =>
        items.SelectMany(item => item is T nested ? Flatten(children(nested), children) : [item]);

    private ValueNode Operand(Operand operand) => operand switch
    {
        FieldOperand f => Field(f.Field),
        LiteralOperand l => new ConstantNode(ToValue(l.Value)),
        VelocityOperand v => Velocity(v.Term),
        _ => throw new InvalidOperationException($"cannot compile {operand.GetType().Name}; the parser reported it"),
    };

    private ValueNode Field(FieldRef field) =>
        field.IsJson ? new JsonPathNode(paths.Intern(field)) : new ContextFieldNode(field.Kind);

    private VelocityNode Velocity(VelocityTerm term)
    {
        var node = new VelocityNode(term, term.SumField is null ? -1 : paths.Intern(term.SumField));
        _velocity.Add(node);
        return node;
    }

    private static string Describe(Operand operand) => operand switch
    {
        FieldOperand f => f.Field.Text,
        LiteralOperand l => l.Value.Describe().Trim('`'),
        _ => "value",
    };
}
