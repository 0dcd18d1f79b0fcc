namespace Portcullis.Policies.Syntax;

/// <summary>Error reporting and recovery: how the parser keeps going after a problem.</summary>
internal sealed partial class Parser
{
    private void Report(string code, string message, int start, int length)
    {
        if (!_aborted)
        {
            _diagnostics.Add(code, message, start, length);
        }
    }

    private void Report(string code, string message, Token token) => Report(code, message, token.Start, token.Length);

    private bool Enter(Token token)
    {
        if (++_depth <= MaxDepth)
        {
            return true;
        }

        Report(DiagnosticCodes.NestingTooDeep, $"conditions may nest at most {MaxDepth} levels deep", token);
        _aborted = true;
        _index = _tokens.Count - 1;
        return false;
    }

    /// <summary>Skips the rest of a broken predicate: up to the next AND/OR or an unmatched <c>)</c>.</summary>
    private void SkipPredicate(bool consumeFirst = false)
    {
        var depth = 0;
        var first = consumeFirst;
        while (!AtEnd)
        {
            var token = Current;
            if (!first && depth == 0 && (token.Kind == TokenKind.RightParen || token.Is(Keyword.And) || token.Is(Keyword.Or)))
            {
                return;
            }

            first = false;
            depth += token.Kind switch
            {
                TokenKind.LeftParen => 1,
                TokenKind.RightParen => depth > 0 ? -1 : 0,
                _ => 0,
            };
            Advance();
        }
    }

    /// <summary>Skips to the <c>)</c> that closes the current group (not consuming it) or to the end.</summary>
    private void SkipBalanced()
    {
        var depth = 0;
        while (!AtEnd)
        {
            if (Current.Kind == TokenKind.LeftParen)
            {
                depth++;
            }
            else if (Current.Kind == TokenKind.RightParen && depth-- == 0)
            {
                return;
            }

            Advance();
        }
    }
}
