using System.Globalization;
using System.Text;

namespace Portcullis.Policies.Syntax;

internal sealed partial class Lexer
{
    private void ScanString()
    {
        var start = _pos;

        // An unterminated string still becomes a token so the parser does not report a second problem.
        var value = ReadQuoted(out _);
        _tokens.Add(new Token { Kind = TokenKind.String, Start = start, Length = _pos - start, Text = _source.Text[start.._pos], StringValue = value });
    }

    /// <summary>Reads a quoted string at <see cref="_pos"/>; strings end at their quote and never span lines.</summary>
    private string ReadQuoted(out bool terminated)
    {
        var start = _pos;
        var quote = Current;
        _pos++;
        var sb = new StringBuilder();
        while (!AtEnd && Current != '\n')
        {
            var c = Current;
            if (c == quote)
            {
                _pos++;
                terminated = true;
                return sb.ToString();
            }

            if (c == '\\')
            {
                ReadEscape(sb);
            }
            else
            {
                sb.Append(c);
                _pos++;
            }
        }

        _diagnostics.Add(DiagnosticCodes.UnterminatedString, $"unterminated string; add the closing `{quote}`", start, _pos - start);
        terminated = false;
        return sb.ToString();
    }

    private void ReadEscape(StringBuilder sb)
    {
        var start = _pos;
        var c = Peek(1);
        char? simple = c switch
        {
            '\\' => '\\',
            '"' => '"',
            '\'' => '\'',
            '/' => '/',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'b' => '\b',
            'f' => '\f',
            _ => null,
        };
        if (simple is { } ch)
        {
            sb.Append(ch);
            _pos += 2;
            return;
        }

        if (c == 'u' && _pos + 6 <= _source.Length
            && ushort.TryParse(_source.Text.AsSpan(_pos + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            sb.Append((char)code);
            _pos += 6;
            return;
        }

        var length = c is '\0' or '\n' ? 1 : 2;
        _diagnostics.Add(DiagnosticCodes.InvalidEscape, $"invalid escape `{_source.Text.Substring(start, length)}` in string", start, length);
        _pos += length;
    }

    /// <summary>
    /// Numbers (<c>5000</c>, <c>-12.5</c>, <c>1e6</c>) and durations (<c>24h</c>, <c>1h30m</c>). The whole
    /// run of word characters is read first so <c>12abc</c> is one invalid number, not two tokens.
    /// </summary>
    private void ScanNumberOrDuration()
    {
        var start = _pos;
        _pos++;
        while (!AtEnd)
        {
            var c = Current;
            var exponentSign = (c is '+' or '-') && Peek(-1) is 'e' or 'E' && char.IsAsciiDigit(Peek(1));
            if (IsWordChar(c) || (c == '.' && char.IsAsciiDigit(Peek(1))) || exponentSign)
            {
                _pos++;
            }
            else
            {
                break;
            }
        }

        var text = _source.Text[start.._pos];
        if (Durations.TryParse(text, out var duration))
        {
            _tokens.Add(new Token { Kind = TokenKind.Duration, Start = start, Length = text.Length, Text = text, DurationValue = duration });
            return;
        }

        if (!NumberText.TryParse(text, out var dec, out var dbl))
        {
            var message = NumberText.IsValid(text) ? $"number `{text}` is out of range" : $"invalid number `{text}`";
            _diagnostics.Add(DiagnosticCodes.InvalidNumber, message, start, text.Length);
        }

        _tokens.Add(new Token { Kind = TokenKind.Number, Start = start, Length = text.Length, Text = text, DecimalValue = dec, DoubleValue = dbl });
    }

    internal static int CountDigits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }
}
