namespace Portcullis.Policies.Syntax;

internal sealed partial class Lexer
{
    private static readonly Dictionary<string, Keyword> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AND"] = Keyword.And,
        ["OR"] = Keyword.Or,
        ["NOT"] = Keyword.Not,
        ["IN"] = Keyword.In,
        ["CONTAINS"] = Keyword.Contains,
        ["STARTS"] = Keyword.Starts,
        ["ENDS"] = Keyword.Ends,
        ["WITH"] = Keyword.With,
        ["MATCHES"] = Keyword.Matches,
        ["EXISTS"] = Keyword.Exists,
        ["TRUE"] = Keyword.True,
        ["FALSE"] = Keyword.False,
        ["NULL"] = Keyword.Null,
    };

    /// <summary>
    /// A word is an identifier followed by adjacent path segments: <c>.name</c>, <c>[0]</c> or
    /// <c>["odd key"]</c>. Whether it is a field, a keyword or a bare-word string is decided later.
    /// </summary>
    private void ScanWord()
    {
        var start = _pos;
        var root = ReadIdentifier();
        var segments = new List<PathSegment>();
        var hasBrackets = false;

        while (!AtEnd)
        {
            if (Current == '.' && IsWordChar(Peek(1)))
            {
                _pos++;
                segments.Add(PathSegment.Property(ReadIdentifier()));
            }
            else if (Current == '.')
            {
                _diagnostics.Add(DiagnosticCodes.InvalidPath, $"path `{_source.Text[start.._pos]}.` ends with `.`; add a name after it", _pos, 1);
                _pos++;
                break;
            }
            else if (Current == '[')
            {
                hasBrackets = true;
                if (ReadBracketSegment() is { } segment)
                {
                    segments.Add(segment);
                }
            }
            else
            {
                break;
            }
        }

        var text = _source.Text[start.._pos];
        var keyword = segments.Count == 0 && !hasBrackets && Keywords.TryGetValue(text, out var k) ? k : Keyword.None;
        _tokens.Add(new Token
        {
            Kind = keyword == Keyword.None ? TokenKind.Word : TokenKind.Keyword,
            Start = start,
            Length = _pos - start,
            Text = text,
            Keyword = keyword,
            Root = root,
            Segments = segments,
            HasBrackets = hasBrackets,
        });
    }

    /// <summary>
    /// Letters, digits and <c>_</c>; a <c>-</c> between two of those belongs to the word too
    /// (<c>refund-bot</c>, <c>payload.content-type</c>): the language has no arithmetic, and a
    /// <c>--</c> still starts a comment.
    /// </summary>
    private string ReadIdentifier()
    {
        var start = _pos;
        while (!AtEnd && (IsWordChar(Current) || (Current == '-' && _pos > start && IsWordChar(Peek(1)))))
        {
            _pos++;
        }

        return _source.Text[start.._pos];
    }

    /// <summary>Reads <c>[123]</c> or <c>["key"]</c>; on error reports, skips to the <c>]</c> and returns null.</summary>
    private PathSegment? ReadBracketSegment()
    {
        var open = _pos;
        _pos++;
        PathSegment? segment = null;
        if (char.IsAsciiDigit(Current))
        {
            var digitsStart = _pos;
            while (char.IsAsciiDigit(Current))
            {
                _pos++;
            }

            if (int.TryParse(_source.Text.AsSpan(digitsStart, _pos - digitsStart), out var index))
            {
                segment = PathSegment.At(index);
            }
        }
        else if (Current is '"' or '\'')
        {
            var value = ReadQuoted(out var terminated);
            segment = terminated ? PathSegment.Property(value) : null;
            if (!terminated)
            {
                return null;
            }
        }

        if (segment is not null && Current == ']')
        {
            _pos++;
            return segment;
        }

        // Skip the rest of the bracket on this line so one mistake gives one diagnostic.
        while (!AtEnd && Current != ']' && Current != '\n' && !char.IsWhiteSpace(Current))
        {
            _pos++;
        }

        if (Current == ']')
        {
            _pos++;
        }

        var shown = _source.Text[open.._pos];
        _diagnostics.Add(
            DiagnosticCodes.InvalidPath,
            $"invalid path segment `{shown}`; use `[0]` for an array index or `[\"key\"]` for a property",
            open,
            _pos - open);
        return null;
    }
}
