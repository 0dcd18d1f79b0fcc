using System.Globalization;
using System.Text;

namespace Portcullis.Policies.Syntax;

/// <summary>Velocity windows: <c>(digits unit)+</c> with units <c>s m h d</c>, e.g. <c>90s</c>, <c>24h</c>, <c>1h30m</c>.</summary>
internal static class Durations
{
    public static readonly TimeSpan Max = TimeSpan.FromDays(366);

    public static bool IsInRange(TimeSpan window) => window >= TimeSpan.FromSeconds(1) && window <= Max;

    public static bool TryParse(string text, out TimeSpan duration)
    {
        // Seconds are summed in a long and capped so absurd input cannot overflow TimeSpan.
        const long cap = 100L * 366 * 86400;
        duration = TimeSpan.Zero;
        long seconds = 0;
        var i = 0;
        while (i < text.Length)
        {
            var digitsStart = i;
            if (Lexer.CountDigits(text, ref i) == 0 || i >= text.Length || i - digitsStart > 9)
            {
                return false;
            }

            var amount = long.Parse(text.AsSpan(digitsStart, i - digitsStart), CultureInfo.InvariantCulture);
            long unit = char.ToLowerInvariant(text[i]) switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                _ => 0,
            };
            if (unit == 0)
            {
                return false;
            }

            seconds = Math.Min(cap, seconds + (amount * unit));
            i++;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return text.Length > 0;
    }

    /// <summary>Shortest exact form: 86400 s → <c>1d</c>, 5400 s → <c>1h30m</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds <= 0)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        foreach (var (unit, size) in new[] { ('d', 86400L), ('h', 3600L), ('m', 60L), ('s', 1L) })
        {
            if (seconds >= size)
            {
                sb.Append(seconds / size).Append(unit);
                seconds %= size;
            }
        }

        return sb.ToString();
    }
}
