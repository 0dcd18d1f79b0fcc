namespace Portcullis.Policies.Syntax;

/// <summary>
/// Recursive-descent parser for conditions. Precedence, loosest first: <c>OR</c>, <c>AND</c>, <c>NOT</c>,
/// then predicates and parentheses. On an error it reports, skips to the next <c>AND</c>, <c>OR</c> or
/// <c>)</c> and carries on, so one pass reports every problem.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>Bounds recursion so hostile input cannot overflow the stack.</summary>
    public const int MaxDepth = 64;

    private readonly SourceText _source;
    private readonly List<Token> _tokens;
    private readonly DiagnosticBag _diagnostics;
    private readonly ConditionScope _scope;
    private int _index;
    private int _depth;

    // INVARIANT: once aborted, the cursor sits on EndOfInput and nothing more is reported.
    private bool _aborted;

    private Parser(SourceText source, List<Token> tokens, DiagnosticBag diagnostics, ConditionScope scope)
    {
        _source = source;
        _tokens = tokens;
        _diagnostics = diagnostics;
        _scope = scope;
    }

    /// <summary>Parses the tokens; returns null when there is nothing to parse.</summary>
    public static Expr? Parse(SourceText source, List<Token> tokens, DiagnosticBag diagnostics, ConditionScope scope = ConditionScope.Action) =>
        new Parser(source, tokens, diagnostics, scope).ParseCondition();

    private Token Current => _tokens[_index];

    private Token Peek(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private bool AtEnd => Current.Kind == TokenKind.EndOfInput;

    private Token Advance()
    {
        var token = Current;
        if (!AtEnd)
        {
            _index++;
        }

        return token;
    }

    /// <summary>End offset of the last consumed token, for spans.</summary>
    private int PreviousEnd => _index == 0 ? 0 : _tokens[_index - 1].Start + _tokens[_index - 1].Length;

    private Expr? ParseCondition()
    {
        if (AtEnd)
        {
            Report(DiagnosticCodes.EmptyCondition, "condition is empty; write a predicate such as `action_type = refund.create`", 0, 0);
            return null;
        }

        var expr = ParseOr();
        while (!AtEnd)
        {
            var token = Current;
            if (token.Kind == TokenKind.RightParen)
            {
                Report(DiagnosticCodes.UnexpectedToken, "unexpected `)`; no `(` is open", token);
                Advance();
                continue;
            }

            // Skip the stray part, then keep checking whatever follows the next AND/OR.
            Report(DiagnosticCodes.UnexpectedToken, $"expected `AND`, `OR` or end of condition, found {token.Describe()}", token);
            SkipPredicate(consumeFirst: true);
            if (Current.Is(Keyword.And) || Current.Is(Keyword.Or))
            {
                Advance();
                ParseOr();
            }
        }

        return expr;
    }

    private Expr ParseOr()
    {
        var first = ParseAnd();
        if (!Current.Is(Keyword.Or))
        {
            return first;
        }

        var items = new List<Expr> { first };
        while (Current.Is(Keyword.Or))
        {
            Advance();
            items.Add(ParseAnd());
        }

        return new OrExpr(items, first.Start, PreviousEnd - first.Start);
    }

    private Expr ParseAnd()
    {
        var first = ParseNot();
        if (!Current.Is(Keyword.And))
        {
            return first;
        }

        var items = new List<Expr> { first };
        while (Current.Is(Keyword.And))
        {
            Advance();
            items.Add(ParseNot());
        }

        return new AndExpr(items, first.Start, PreviousEnd - first.Start);
    }

    private Expr ParseNot()
    {
        if (!Current.Is(Keyword.Not))
        {
            return ParsePrimary();
        }

        var not = Advance();
        if (!Enter(not))
        {
            return new ErrorExpr(not.Start, not.Length);
        }

        var operand = ParseNot();
        _depth--;
        return new NotExpr(operand, not.Start, PreviousEnd - not.Start);
    }

    private Expr ParsePrimary()
    {
        if (Current.Kind != TokenKind.LeftParen)
        {
            return ParsePredicate();
        }

        var open = Advance();
        if (!Enter(open))
        {
            return new ErrorExpr(open.Start, open.Length);
        }

        var inner = ParseOr();
        _depth--;
        if (Current.Kind != TokenKind.RightParen && !AtEnd)
        {
            Report(DiagnosticCodes.UnexpectedToken, $"expected `)`, `AND` or `OR`, found {Current.Describe()}", Current);
            SkipBalanced();
        }

        if (Current.Kind == TokenKind.RightParen)
        {
            Advance();
            return inner;
        }

        Report(DiagnosticCodes.UnclosedParenthesis, "missing `)` to close this `(`", open);
        return inner;
    }
}
