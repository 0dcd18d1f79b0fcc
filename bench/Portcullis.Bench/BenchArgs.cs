using System.Globalization;

namespace Portcullis.Bench;

/// <summary><c>--name value</c> pairs with defaults; a <c>--name</c> followed by another option (or nothing) is a flag.</summary>
public sealed class BenchArgs(Dictionary<string, string> values)
{
    public static BenchArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].TrimStart('-');
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values[name] = args[++i];
            }
            else
            {
                values[name] = "true";
            }
        }

        return new BenchArgs(values);
    }

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string? String(string name) => values.GetValueOrDefault(name);

    public bool Flag(string name) => values.GetValueOrDefault(name) == "true";
}
