using System.Globalization;

namespace Portcullis.Policies.Syntax;

/// <summary>
/// The one definition of "text that is a number", shared by the lexer (literals) and the evaluator
/// (numeric strings compared with numbers): <c>-?digits(.digits)?([eE][+-]?digits)?</c>, nothing else —
/// no spaces, no <c>+</c> sign, no thousands separators, no <c>Infinity</c>.
/// </summary>
internal static class NumberText
{
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        var i = text.Length > 0 && text[0] == '-' ? 1 : 0;
        if (Digits(text, ref i) == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (Digits(text, ref i) == 0)
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (Digits(text, ref i) == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    /// <summary>Parses valid number text: a decimal when it fits, and always a finite double.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out decimal? dec, out double dbl)
    {
        dec = null;
        if (!IsValid(text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out dbl) || !double.IsFinite(dbl))
        {
            dbl = 0;
            return false;
        }

        // decimal.TryParse rounds tiny values such as 1e-30 to zero; keep only the double then.
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && (d != 0 || dbl == 0))
        {
            dec = d;
        }

        return true;
    }

    private static int Digits(ReadOnlySpan<char> text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }
}
