using System.Text.RegularExpressions;

namespace Portcullis.Policies.Syntax;

internal sealed partial class Parser
{
    /// <summary>How long one <c>MATCHES</c> may run before the policy fails closed.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    private Expr ParsePredicate()
    {
        var start = Current.Start;
        var left = ParseOperand(isLeft: true, after: null);
        if (left is null)
        {
            SkipPredicate();
            return new ErrorExpr(start, Math.Max(0, PreviousEnd - start));
        }

        var op = Current;
        var expr = op.Kind switch
        {
            TokenKind.Equal => ParseCompare(left, CompareOp.Equal),
            TokenKind.NotEqual => ParseCompare(left, CompareOp.NotEqual),
            TokenKind.Less => ParseCompare(left, CompareOp.Less),
            TokenKind.LessOrEqual => ParseCompare(left, CompareOp.LessOrEqual),
            TokenKind.Greater => ParseCompare(left, CompareOp.Greater),
            TokenKind.GreaterOrEqual => ParseCompare(left, CompareOp.GreaterOrEqual),
            TokenKind.Keyword => ParseKeywordPredicate(left, op),
            _ => null,
        };

        if (expr is null && op == Current)
        {
            Report(DiagnosticCodes.ExpectedOperator, $"expected an operator after `{SourceOf(left)}`, found {op.Describe()}", op);
        }

        if (expr is null)
        {
            SkipPredicate();
            return new ErrorExpr(start, Math.Max(0, PreviousEnd - start));
        }

        return expr;
    }

    /// <summary>Keyword operators; returns null (after reporting, or with the cursor unmoved) when the keyword is not an operator.</summary>
    private Expr? ParseKeywordPredicate(Operand left, Token op)
    {
        switch (op.Keyword)
        {
            case Keyword.In:
                Advance();
                return ParseIn(left, negated: false);
            case Keyword.Exists:
                Advance();
                return MakeExists(left, negated: false);
            case Keyword.Not:
                Advance();
                if (Current.Is(Keyword.In))
                {
                    Advance();
                    return ParseIn(left, negated: true);
                }

                if (Current.Is(Keyword.Exists))
                {
                    Advance();
                    return MakeExists(left, negated: true);
                }

                Report(DiagnosticCodes.ExpectedOperator, $"expected `IN` or `EXISTS` after `NOT`, found {Current.Describe()}", Current);
                return null;
            case Keyword.Contains:
                Advance();
                return ParseText(left, TextOp.Contains, "CONTAINS");
            case Keyword.Starts or Keyword.Ends:
                Advance();
                var name = op.Keyword == Keyword.Starts ? "STARTS" : "ENDS";
                if (!Current.Is(Keyword.With))
                {
                    Report(DiagnosticCodes.ExpectedOperator, $"expected `WITH` after `{name}`, found {Current.Describe()}", Current);
                    return null;
                }

                Advance();
                return ParseText(left, op.Keyword == Keyword.Starts ? TextOp.StartsWith : TextOp.EndsWith, name + " WITH");
            case Keyword.Matches:
                Advance();
                return ParseMatches(left);
            default:
                return null;
        }
    }

    private Expr? ParseCompare(Operand left, CompareOp op)
    {
        var opToken = Advance();
        var right = ParseOperand(isLeft: false, after: opToken);
        if (right is null)
        {
            return null;
        }

        CheckCompareOperands(left, op, right, opToken);
        return new CompareExpr(left, op, right, left.Start, PreviousEnd - left.Start);
    }

    private Expr? ParseText(Operand left, TextOp op, string name)
    {
        var opToken = _tokens[_index - 1];
        var right = ParseOperand(isLeft: false, after: opToken);
        if (right is null)
        {
            return null;
        }

        CheckTextOperands(left, op, right, name);
        return new TextExpr(left, op, right, left.Start, PreviousEnd - left.Start);
    }

    private Expr? ParseMatches(Operand left)
    {
        var token = Current;
        if (token.Kind != TokenKind.String)
        {
            Report(DiagnosticCodes.InvalidOperand, $"`MATCHES` needs a quoted pattern such as `\"^re_\"`, found {token.Describe()}", token);
            return null;
        }

        Advance();
        RequireTextOperand(left, "MATCHES");
        try
        {
            var regex = new Regex(token.StringValue!, RegexOptions.CultureInvariant, RegexTimeout);
            return new MatchesExpr(left, regex, left.Start, PreviousEnd - left.Start);
        }
        catch (RegexParseException e)
        {
            var what = Words(e.Error.ToString());
            Report(DiagnosticCodes.InvalidRegex, $"invalid regular expression `{token.StringValue}`: {what} at offset {e.Offset}", token);
            return new ErrorExpr(token.Start, token.Length);
        }
        catch (ArgumentException)
        {
            Report(DiagnosticCodes.InvalidRegex, $"invalid regular expression `{token.StringValue}`", token);
            return new ErrorExpr(token.Start, token.Length);
        }
    }

    private Expr? MakeExists(Operand left, bool negated)
    {
        if (left is FieldOperand field)
        {
            return new ExistsExpr(field.Field, negated, left.Start, PreviousEnd - left.Start);
        }

        Report(DiagnosticCodes.InvalidOperand, $"`EXISTS` tests a field such as `payload.amount`, not `{SourceOf(left)}`", left.Start, left.Length);
        return new ErrorExpr(left.Start, left.Length);
    }

    /// <summary>Reads <c>( literal {, literal} )</c> after <c>IN</c>.</summary>
    private Expr? ParseIn(Operand left, bool negated)
    {
        var inToken = _tokens[_index - 1];
        if (Current.Kind != TokenKind.LeftParen)
        {
            Report(DiagnosticCodes.UnexpectedToken, $"expected `(` after `IN`, found {Current.Describe()}", Current);
            return null;
        }

        var open = Advance();
        var items = new List<Literal>();
        while (true)
        {
            var item = ParseOperand(isLeft: false, after: items.Count == 0 ? open : _tokens[_index - 1]);
            if (item is null)
            {
                return null;
            }

            if (item is LiteralOperand literal)
            {
                items.Add(literal.Value);
                CheckLiteralAgainst(left, literal, "IN");
            }
            else
            {
                Report(DiagnosticCodes.ExpectedLiteral, $"`IN` lists take literal values only, found `{SourceOf(item)}`; quote it to use it as text", item.Start, item.Length);
            }

            if (Current.Kind == TokenKind.Comma)
            {
                Advance();
                continue;
            }

            if (Current.Kind == TokenKind.RightParen)
            {
                Advance();
                return new InExpr(left, items, negated, left.Start, PreviousEnd - left.Start);
            }

            if (AtEnd)
            {
                Report(DiagnosticCodes.UnclosedParenthesis, $"missing `)` to close the `{inToken.Text}` list", open);
            }
            else
            {
                Report(DiagnosticCodes.UnexpectedToken, $"expected `,` or `)` in the `IN` list, found {Current.Describe()}", Current);
            }

            return null;
        }
    }

    /// <summary>The operand as written, white space collapsed, shortened for messages.</summary>
    private string SourceOf(Operand operand)
    {
        var raw = _source.Text.Substring(operand.Start, Math.Min(operand.Length, _source.Length - operand.Start));
        var text = string.Join(' ', raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    /// <summary><c>InsufficientClosingParentheses</c> → "insufficient closing parentheses".</summary>
    private static string Words(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : " ") + char.ToLowerInvariant(c) : c.ToString()));
}
