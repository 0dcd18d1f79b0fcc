using System.Globalization;
using System.Text;

namespace Portcullis.Server.Features.Runs;

/// <summary>Keyset paging position (started_at, id) as an opaque token.</summary>
public readonly record struct RunCursor(long StartedAt, string Id)
{
    public static string Encode(RunRow row) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{row.StartedAt.ToString(CultureInfo.InvariantCulture)}|{row.Id}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static RunCursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 200)
        {
            return null;
        }

        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return bar > 0 && long.TryParse(text[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var at)
                ? new RunCursor(at, text[(bar + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
