using System.Text;
using System.Text.Json;
using Portcullis.Policies.Syntax;

namespace Portcullis.Policies.Evaluation;

/// <summary>
/// The type rules of the language, in one place. Every method expects two present values (the
/// callers turn a missing field into false before getting here).
/// </summary>
internal static class Semantics
{
    /// <summary><c>=</c>: same type and equal; a number equals a string only when the string is that number.</summary>
    public static bool AreEqual(in Value a, in Value b)
    {
        if (a.Kind == ValueKind.Number && b.Kind == ValueKind.Number && a.HasDecimal && b.HasDecimal)
        {
            return a.Decimal == b.Decimal;
        }

        if (a.Kind == ValueKind.Number || b.Kind == ValueKind.Number)
        {
            return TryCompare(a, b, out var order) && order == 0;
        }

        if (a.Kind != b.Kind)
        {
            return false;
        }

        return a.Kind switch
        {
            ValueKind.String => StringsEqual(a, b),
            ValueKind.Array or ValueKind.Object => JsonElement.DeepEquals(a.Json, b.Json),
            _ => true, // null = null, true = true, false = false
        };
    }

    /// <summary>
    /// Order for <c>&lt; &lt;= &gt; &gt;=</c>: numbers numerically (a string that is a number counts
    /// as that number when the other side is a number), two strings ordinally; anything else has no order.
    /// </summary>
    public static bool TryCompare(in Value a, in Value b, out int order)
    {
        order = 0;
        if (a.Kind == ValueKind.Number && b.Kind == ValueKind.Number && a.HasDecimal && b.HasDecimal)
        {
            order = decimal.Compare(a.Decimal, b.Decimal);
            return true;
        }

        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            order = Math.Sign(string.CompareOrdinal(a.AsString(), b.AsString()));
            return true;
        }

        if (!AsNumber(a, out var x) || !AsNumber(b, out var y) || (a.Kind != ValueKind.Number && b.Kind != ValueKind.Number))
        {
            return false;
        }

        if (x.HasDecimal && y.HasDecimal)
        {
            order = decimal.Compare(x.Decimal, y.Decimal);
            return true;
        }

        var (dx, dy) = (x.Double, y.Double);
        if (double.IsNaN(dx) || double.IsNaN(dy))
        {
            return false;
        }

        order = dx.CompareTo(dy);
        return true;
    }

    /// <summary><c>CONTAINS</c>: substring of a string, or an element of an array (by <c>=</c>).</summary>
    public static bool Contains(in Value a, in Value b)
    {
        if (a.Kind == ValueKind.Array)
        {
            foreach (var element in a.Json.EnumerateArray())
            {
                // String against string literal: ValueEquals compares in place, escapes included.
                var found = b.Utf8 is { } utf8 && element.ValueKind == JsonValueKind.String
                    ? element.ValueEquals(utf8)
                    : AreEqual(Value.FromJson(element), b);
                if (found)
                {
                    return true;
                }
            }

            return false;
        }

        return a.Kind == ValueKind.String && b.Kind == ValueKind.String && TextOp(a, b, Syntax.TextOp.Contains);
    }

    /// <summary><c>STARTS WITH</c>, <c>ENDS WITH</c> and string <c>CONTAINS</c>, ordinal.</summary>
    public static bool TextOp(in Value a, in Value b, TextOp op)
    {
        if (a.Kind != ValueKind.String || b.Kind != ValueKind.String)
        {
            return false;
        }

        // Fast path: an unescaped JSON string against a literal, compared as UTF-8. For valid
        // Unicode, UTF-8 prefix/suffix/substring agree with the ordinal UTF-16 answer.
        if (b.Utf8 is { } needle && a.TryGetRawUtf8(out var hay))
        {
            return op switch
            {
                Syntax.TextOp.StartsWith => hay.StartsWith(needle),
                Syntax.TextOp.EndsWith => hay.EndsWith(needle),
                _ => hay.IndexOf(needle) >= 0,
            };
        }

        var s = a.AsString();
        var t = b.AsString();
        return op switch
        {
            Syntax.TextOp.StartsWith => s.StartsWith(t, StringComparison.Ordinal),
            Syntax.TextOp.EndsWith => s.EndsWith(t, StringComparison.Ordinal),
            _ => s.Contains(t, StringComparison.Ordinal),
        };
    }

    private static bool StringsEqual(in Value a, in Value b)
    {
        if (!a.IsJson && !b.IsJson)
        {
            return string.Equals(a.ClrString, b.ClrString, StringComparison.Ordinal);
        }

        if (!a.IsJson)
        {
            return StringsEqual(b, a);
        }

        // a is JSON; ValueEquals unescapes the document's text as needed without allocating.
        if (b.Utf8 is { } utf8)
        {
            return a.Json.ValueEquals(utf8);
        }

        return a.Json.ValueEquals(b.ClrString ?? b.AsString());
    }

    /// <summary>A number, or a string written exactly as a number (see <see cref="NumberText"/>).</summary>
    private static bool AsNumber(in Value v, out Value number)
    {
        number = v;
        return v.Kind == ValueKind.Number || (v.Kind == ValueKind.String && TryParseNumber(v, out number));
    }

    /// <summary>Kept apart from <see cref="AsNumber"/> so the common number case does not pay for the stack buffer.</summary>
    private static bool TryParseNumber(in Value v, out Value number)
    {
        number = default;
        Span<char> buffer = stackalloc char[64];
        scoped ReadOnlySpan<char> chars;
        if (v.ClrString is { } clr)
        {
            chars = clr;
        }
        else if (v.TryGetRawUtf8(out var utf8) && utf8.Length <= buffer.Length)
        {
            // Number text is ASCII, so one byte is one char; anything else fails validation below.
            var count = Encoding.UTF8.GetChars(utf8, buffer);
            chars = buffer[..count];
        }
        else
        {
            return false;
        }

        if (chars.Length > buffer.Length || !NumberText.TryParse(chars, out var dec, out var dbl))
        {
            return false;
        }

        number = Value.Number(dec, dbl);
        return true;
    }
}
