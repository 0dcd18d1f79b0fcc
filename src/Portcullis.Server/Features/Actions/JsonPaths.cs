using System.Globalization;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// The policy language's canonical payload paths (<c>amount</c>, <c>items[0].price</c>, <c>["odd-key"]</c>)
/// split into segments; <see cref="Portcullis.Storage.SqlDialect.JsonPath"/> writes them in each database's form.
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
}
