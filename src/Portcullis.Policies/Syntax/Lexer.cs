namespace Portcullis.Policies.Syntax;

/// <summary>
/// Turns condition text into tokens. Never throws: a bad character is reported and skipped so the
/// parser still sees the rest of the condition.
/// </summary>
internal sealed partial class Lexer
{
    private readonly SourceText _source;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<Token> _tokens = [];
    private int _pos;

    private Lexer(SourceText source, DiagnosticBag diagnostics)
    {
        _source = source;
        _diagnostics = diagnostics;
    }

    public static List<Token> Tokenize(SourceText source, DiagnosticBag diagnostics)
    {
        var lexer = new Lexer(source, diagnostics);
        lexer.Run();
        return lexer._tokens;
    }

    private char Current => _source[_pos];

    private char Peek(int ahead) => _source[_pos + ahead];

    private bool AtEnd => _pos >= _source.Length;

    private void Run()
    {
        while (true)
        {
            SkipTrivia();
            if (AtEnd)
            {
                break;
            }

            ScanToken();
        }

        _tokens.Add(new Token { Kind = TokenKind.EndOfInput, Start = _source.Length, Length = 0, Text = "" });
    }

    /// <summary>White space and comments: <c>#</c> or <c>--</c> to the end of the line.</summary>
    private void SkipTrivia()
    {
        while (!AtEnd)
        {
            var c = Current;
            if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '#' || (c == '-' && Peek(1) == '-'))
            {
                while (!AtEnd && Current != '\n')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private void ScanToken()
    {
        var c = Current;
        if (IsWordStart(c))
        {
            ScanWord();
        }
        else if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(Peek(1))))
        {
            ScanNumberOrDuration();
        }
        else if (c is '"' or '\'')
        {
            ScanString();
        }
        else
        {
            ScanPunctuation(c);
        }
    }

    private void ScanPunctuation(char c)
    {
        var start = _pos;
        var next = Peek(1);
        switch (c)
        {
            case '(': Emit(TokenKind.LeftParen, start, 1); break;
            case ')': Emit(TokenKind.RightParen, start, 1); break;
            case ',': Emit(TokenKind.Comma, start, 1); break;
            case '=' when next == '=': Misspelled(TokenKind.Equal, Keyword.None, 2, "`==` is not an operator; use `=`"); break;
            case '=': Emit(TokenKind.Equal, start, 1); break;
            case '!' when next == '=': Emit(TokenKind.NotEqual, start, 2); break;
            case '<' when next == '>': Misspelled(TokenKind.NotEqual, Keyword.None, 2, "`<>` is not an operator; use `!=`"); break;
            case '<' when next == '=': Emit(TokenKind.LessOrEqual, start, 2); break;
            case '<': Emit(TokenKind.Less, start, 1); break;
            case '>' when next == '=': Emit(TokenKind.GreaterOrEqual, start, 2); break;
            case '>': Emit(TokenKind.Greater, start, 1); break;
            case '&' when next == '&': Misspelled(TokenKind.Keyword, Keyword.And, 2, "`&&` is not an operator; use `AND`"); break;
            case '|' when next == '|': Misspelled(TokenKind.Keyword, Keyword.Or, 2, "`||` is not an operator; use `OR`"); break;
            case '!':
                _diagnostics.Add(DiagnosticCodes.UnknownOperator, "`!` is not an operator; use `NOT` or `!=`", start, 1);
                Emit(TokenKind.Keyword, start, 1, Keyword.Not);
                break;
            default:
                var length = char.IsSurrogatePair(c, next) ? 2 : 1;
                var shown = _source.Text.Substring(start, length);
                _diagnostics.Add(DiagnosticCodes.UnexpectedCharacter, $"unexpected character `{shown}`", start, length);
                _pos += length;
                break;
        }
    }

    /// <summary>Reports an operator borrowed from another language but keeps the intended token so parsing goes on.</summary>
    private void Misspelled(TokenKind kind, Keyword keyword, int length, string message)
    {
        _diagnostics.Add(DiagnosticCodes.UnknownOperator, message, _pos, length);
        Emit(kind, _pos, length, keyword);
    }

    private void Emit(TokenKind kind, int start, int length, Keyword keyword = Keyword.None)
    {
        _tokens.Add(new Token { Kind = kind, Start = start, Length = length, Text = _source.Text.Substring(start, length), Keyword = keyword });
        _pos = start + length;
    }

    private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
