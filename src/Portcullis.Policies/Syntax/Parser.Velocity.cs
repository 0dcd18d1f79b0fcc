namespace Portcullis.Policies.Syntax;

internal sealed partial class Parser
{
    /// <summary>
    /// <c>COUNT(LAST 1h PER agent [SAME ACTION])</c> or <c>SUM(payload.path, LAST 1d PER workspace [SAME ACTION])</c>,
    /// either with an optional <c>WHERE …</c>; <c>LAST</c> may be left out for <c>PER run</c>.
    /// On an error reports once, skips past the closing <c>)</c> and returns null.
    /// </summary>
    private Operand? ParseVelocity()
    {
        var name = Advance();
        var aggregate = name.IsWord("SUM") ? VelocityAggregate.Sum : VelocityAggregate.Count;
        var head = aggregate == VelocityAggregate.Sum ? "SUM" : "COUNT";
        Advance(); // the "(" checked by the caller
        var term = ParseVelocityBody(aggregate, head);
        if (term is null)
        {
            SkipBalanced();
        }

        if (Current.Kind == TokenKind.RightParen)
        {
            Advance();
            return term is null ? null : new VelocityOperand(term, name.Start, PreviousEnd - name.Start);
        }

        if (term is not null)
        {
            var problem = AtEnd ? DiagnosticCodes.UnclosedParenthesis : DiagnosticCodes.InvalidVelocity;
            Report(problem, $"expected `)` to close `{head}(`, found {Current.Describe()}", Current);
        }

        return null;
    }

    private VelocityTerm? ParseVelocityBody(VelocityAggregate aggregate, string head)
    {
        FieldRef? sumField = null;
        if (aggregate == VelocityAggregate.Sum)
        {
            var token = Current;
            if (token.Kind != TokenKind.Word || !Fields.TryResolve(token, out var field) || field.Kind != FieldKind.Payload || field.Path.Count == 0)
            {
                return Fail($"`SUM` adds up a payload field such as `payload.amount`, found {token.Describe()}", token);
            }

            Advance();
            sumField = field;
            if (Current.Kind != TokenKind.Comma)
            {
                return Fail($"expected `,` after `{token.Text}` in `SUM(…)`, found {Current.Describe()}", Current);
            }

            Advance();
        }

        if (Current.IsWord("PER") && Peek(1).IsWord("run"))
        {
            // A run is short and bounded: its whole history is the natural window.
            return ParseVelocityScope(aggregate, sumField, TimeSpan.Zero, head);
        }

        if (!Current.IsWord("LAST"))
        {
            return Fail($"expected `LAST` and a window such as `LAST 1h` (or `PER run`) in `{head}(…)`, found {Current.Describe()}", Current);
        }

        Advance();
        var window = Current;
        if (window.Kind != TokenKind.Duration)
        {
            var hint = window.Kind == TokenKind.Number ? "; write the unit right after the number, as in `24h`" : "";
            return Fail($"expected a window such as `30m`, `24h` or `7d` after `LAST`, found {window.Describe()}{hint}", window);
        }

        Advance();
        if (!Durations.IsInRange(window.DurationValue))
        {
            Report(DiagnosticCodes.InvalidDuration, $"window `{window.Text}` must be between `1s` and `366d`", window);
            return null;
        }

        return ParseVelocityScope(aggregate, sumField, window.DurationValue, head);
    }

    private VelocityTerm? ParseVelocityScope(VelocityAggregate aggregate, FieldRef? sumField, TimeSpan window, string head)
    {
        if (!Current.IsWord("PER"))
        {
            return Fail($"expected `PER agent`, `PER workspace` or `PER run` in `{head}(…)`, found {Current.Describe()}", Current);
        }

        Advance();
        VelocityScope scope;
        if (Current.IsWord("agent"))
        {
            scope = VelocityScope.Agent;
        }
        else if (Current.IsWord("workspace"))
        {
            scope = VelocityScope.Workspace;
        }
        else if (Current.IsWord("run"))
        {
            scope = VelocityScope.Run;
        }
        else
        {
            return Fail($"expected `agent`, `workspace` or `run` after `PER`, found {Current.Describe()}", Current);
        }

        Advance();
        var sameAction = false;
        if (Current.IsWord("SAME"))
        {
            Advance();
            if (!Current.IsWord("ACTION"))
            {
                return Fail($"expected `ACTION` after `SAME`, found {Current.Describe()}", Current);
            }

            Advance();
            sameAction = true;
        }

        var filters = ParseVelocityFilters();
        return filters is null ? null : new VelocityTerm(aggregate, sumField, window, scope, sameAction, filters);
    }

    private VelocityTerm? Fail(string message, Token token)
    {
        Report(DiagnosticCodes.InvalidVelocity, message, token);
        return null;
    }
}
