using System.Globalization;
using System.Text;

namespace Portcullis.Server.Infrastructure.Json;

/// <summary>
/// A double as ECMAScript's <c>Number.prototype.toString</c> writes it (ECMA-262 Number::toString), which RFC 8785
/// prescribes: the shortest digits that round-trip, in plain notation for exponents from -7 to 20, else <c>1e+21</c> style.
/// </summary>
public static class EcmaScriptNumber
{
    public static string Format(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON has no NaN or Infinity");
        }

        if (value == 0)
        {
            return "0"; // also -0
        }

        var (digits, n) = ShortestDigits(Math.Abs(value));
        var text = Layout(digits, n);
        return value < 0 ? "-" + text : text;
    }

    /// <summary>
    /// The shortest round-trip digits (no leading or trailing zeros) and n, such that the value is 0.digits × 10^n.
    /// .NET's "R" formatting gives the shortest round-trip digits since .NET Core 3.0; only the layout differs.
    /// </summary>
    private static (string Digits, int N) ShortestDigits(double value)
    {
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        // Re-read "R" output in either of its forms (1234.5, 1.2345E+20, 5E-324) as digits and an exponent.
        var exponent = 0;
        var e = shortest.IndexOfAny(['E', 'e']);
        var mantissa = shortest;
        if (e >= 0)
        {
            exponent = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = shortest[..e];
        }

        var point = mantissa.IndexOf('.');
        var intPart = point < 0 ? mantissa : mantissa[..point];
        var fracPart = point < 0 ? "" : mantissa[(point + 1)..];
        var all = intPart + fracPart;
        var leading = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        var n = intPart.Length + exponent - leading;
        return (digits, n);
    }

    private static string Layout(string digits, int n)
    {
        var k = digits.Length;
        if (k <= n && n <= 21)
        {
            return digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return "0." + new string('0', -n) + digits;
        }

        var sign = n - 1 < 0 ? "-" : "+";
        var builder = new StringBuilder().Append(digits[0]);
        if (k > 1)
        {
            builder.Append('.').Append(digits, 1, k - 1);
        }

        return builder.Append('e').Append(sign).Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture)).ToString();
    }
}
