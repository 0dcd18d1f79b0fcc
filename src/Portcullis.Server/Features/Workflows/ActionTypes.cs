using Portcullis.Connectors;

namespace Portcullis.Server.Features.Workflows;

/// <summary>Catches a mistyped built-in action type, which would otherwise be saved as a custom type that never executes.</summary>
public static class ActionTypes
{
    private static readonly string[] BuiltIn = [.. ActionCatalog.Providers.SelectMany(ActionCatalog.ActionsOf)];

    /// <summary>The built-in action type within two edits of <paramref name="actionType"/>, or null.</summary>
    public static string? Closest(string actionType) =>
        BuiltIn.Select(b => (Type: b, Distance: Distance(actionType, b))).Where(x => x.Distance <= 2).OrderBy(x => x.Distance)
            .Select(x => x.Type).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return int.MaxValue;
        }

        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
