namespace Portcullis.Policies.Syntax;

internal sealed partial class Parser
{
    /// <summary>
    /// A field, literal or velocity term. A bare word on the left of an operator must be a field
    /// (so a typo such as <c>amount</c> is caught); on the right it is a field when it names one
    /// and a string otherwise (<c>refund.create</c>). Returns null after reporting.
    /// </summary>
    private Operand? ParseOperand(bool isLeft, Token? after)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Word when (token.IsWord("COUNT") || token.IsWord("SUM")) && Peek(1).Kind == TokenKind.LeftParen:
                if (_scope == ConditionScope.WorkflowStep)
                {
                    Report(DiagnosticCodes.UnknownField, $"`{token.Text}(…)` counts past actions; it belongs in a policy, not in a step condition", token);
                    return null;
                }

                return ParseVelocity();
            case TokenKind.Word:
                Advance();
                if (Fields.TryResolve(token, out var field, _scope))
                {
                    return new FieldOperand(field, token.Start, token.Length);
                }

                if (isLeft || Fields.LooksLikeField(token, _scope))
                {
                    var hint = _scope == ConditionScope.WorkflowStep ? Fields.StepHint : Fields.Suggest(token);
                    Report(DiagnosticCodes.UnknownField, $"unknown field `{token.Text}`" + (hint is null ? "" : "; " + hint), token);
                    return null;
                }

                return new LiteralOperand(Literal.Of(token.Text), token.Start, token.Length);
            case TokenKind.String:
                Advance();
                return new LiteralOperand(Literal.Of(token.StringValue ?? ""), token.Start, token.Length);
            case TokenKind.Number:
                Advance();
                return new LiteralOperand(Literal.Of(token.DecimalValue, token.DoubleValue), token.Start, token.Length);
            case TokenKind.Keyword when token.Keyword is Keyword.True or Keyword.False:
                Advance();
                return new LiteralOperand(Literal.Of(token.Keyword == Keyword.True), token.Start, token.Length);
            case TokenKind.Keyword when token.Keyword == Keyword.Null:
                Advance();
                return new LiteralOperand(Literal.Null, token.Start, token.Length);
            case TokenKind.Duration:
                Advance();
                Report(DiagnosticCodes.UnexpectedToken, $"a duration such as {token.Describe()} can only follow `LAST` inside `COUNT(…)` or `SUM(…)`", token);
                return null;
            default:
                ReportMissingValue(token, isLeft, after);
                return null;
        }
    }

    private void ReportMissingValue(Token token, bool isLeft, Token? after)
    {
        var found = token.Kind == TokenKind.Keyword
            ? $"keyword {token.Describe()}; quote it to use it as text"
            : token.Describe();
        var message = isLeft
            ? $"expected a field or value, found {found}"
            : $"expected a value after `{after?.Text}`, found {found}";
        Report(DiagnosticCodes.ExpectedValue, message, token);
    }

    private void CheckCompareOperands(Operand left, CompareOp op, Operand right, Token opToken)
    {
        var ordering = op is CompareOp.Less or CompareOp.LessOrEqual or CompareOp.Greater or CompareOp.GreaterOrEqual;
        foreach (var (operand, other) in new[] { (left, right), (right, left) })
        {
            if (operand is not LiteralOperand { Value: var literal })
            {
                continue;
            }

            if (ordering && literal.Kind is LiteralKind.Boolean or LiteralKind.Null)
            {
                Report(DiagnosticCodes.InvalidOperand, $"`{opToken.Text}` compares numbers or strings, not {literal.Describe()}", operand.Start, operand.Length);
            }
            else if (other is VelocityOperand && literal.Kind != LiteralKind.Number)
            {
                Report(DiagnosticCodes.InvalidOperand, $"`COUNT` and `SUM` give numbers; compare them with a number, not {literal.Describe()}", operand.Start, operand.Length);
            }
        }
    }

    private void CheckTextOperands(Operand left, TextOp op, Operand right, string name)
    {
        RequireTextOperand(left, name);
        if (right is VelocityOperand)
        {
            Report(DiagnosticCodes.InvalidOperand, $"`{name}` works on text, not on `COUNT` or `SUM`", right.Start, right.Length);
        }
        else if (op != TextOp.Contains && right is LiteralOperand { Value: { Kind: not LiteralKind.String } literal })
        {
            Report(DiagnosticCodes.InvalidOperand, $"`{name}` needs a string, found {literal.Describe()}", right.Start, right.Length);
        }
    }

    private void RequireTextOperand(Operand left, string name)
    {
        if (left is VelocityOperand)
        {
            Report(DiagnosticCodes.InvalidOperand, $"`{name}` works on text, not on `COUNT` or `SUM`", left.Start, left.Length);
        }
        else if (left is LiteralOperand { Value: { Kind: not LiteralKind.String } literal })
        {
            Report(DiagnosticCodes.InvalidOperand, $"`{name}` needs a string, found {literal.Describe()}", left.Start, left.Length);
        }
    }

    private void CheckLiteralAgainst(Operand left, LiteralOperand item, string name)
    {
        if (left is VelocityOperand && item.Value.Kind != LiteralKind.Number)
        {
            Report(DiagnosticCodes.InvalidOperand, $"`COUNT` and `SUM` give numbers; `{name}` needs numbers, not {item.Value.Describe()}", item.Start, item.Length);
        }
    }
}
