using System.Globalization;
using System.Text;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// The policy language's canonical payload paths (<c>amount</c>, <c>items[0].price</c>, <c>["odd-key"]</c>)
/// turned into each database's JSON path form.
/// </summary>
public static class JsonPaths
{
    /// <summary>A property name (string) or an array index (int).</summary>
    public static IReadOnlyList<object> Parse(string path)
    {
        var segments = new List<object>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '"')
            {
                var end = path.IndexOf("\"]", i + 2, StringComparison.Ordinal);
                segments.Add(path[(i + 2)..end].Replace("\\\"", "\"", StringComparison.Ordinal));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                segments.Add(int.Parse(path[(i + 1)..end], CultureInfo.InvariantCulture));
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < path.Length && path[end] is not ('.' or '['))
                {
                    end++;
                }

                segments.Add(path[i..end]);
                i = end;
            }
        }

        return segments;
    }

    public static string ToSqlite(IReadOnlyList<object> segments)
    {
        var sb = new StringBuilder("$");
        foreach (var segment in segments)
        {
            if (segment is int index)
            {
                sb.Append(CultureInfo.InvariantCulture, $"[{index}]");
            }
            else
            {
                sb.Append(".\"").Append(((string)segment).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            }
        }

        return sb.ToString();
    }
}
