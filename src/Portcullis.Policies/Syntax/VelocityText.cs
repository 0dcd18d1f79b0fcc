using System.Text;

namespace Portcullis.Policies.Syntax;

/// <summary>Writes velocity queries back in condition syntax for messages and tools.</summary>
internal static class VelocityText
{
    public static string Format(VelocityQuery query)
    {
        var text = new StringBuilder(query.Aggregate == VelocityAggregate.Sum ? $"SUM(payload{Dotted(query.SumPath)}, " : "COUNT(");
        if (query.Window > TimeSpan.Zero)
        {
            text.Append("LAST ").Append(Durations.Format(query.Window)).Append(' ');
        }

        text.Append("PER ").Append(query.Scope switch
        {
            VelocityScope.Agent => "agent",
            VelocityScope.Workspace => "workspace",
            _ => "run",
        });
        if (query.ActionType is not null)
        {
            text.Append(" SAME ACTION");
        }

        for (var i = 0; i < query.Filters.Count; i++)
        {
            text.Append(i == 0 ? " WHERE " : " AND ").Append(Format(query.Filters[i]));
        }

        return text.Append(')').ToString();
    }

    /// <summary>A string literal that reads back as itself.</summary>
    public static string Quote(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "'";

    private static string Format(VelocityFilter filter)
    {
        var field = filter.Field switch
        {
            EarlierField.ActionType => "action_type",
            EarlierField.Provider => "provider",
            EarlierField.ResourceType => "resource_type",
            EarlierField.ResourceId => "resource_id",
            EarlierField.Decision => "decision",
            EarlierField.Status => "status",
            _ => "payload" + Dotted(filter.PayloadPath),
        };
        return $"{field} {(filter.Negated ? "!=" : "=")} {filter.Value}";
    }

    private static string Dotted(string? sumPath) =>
        string.IsNullOrEmpty(sumPath) ? "" : sumPath.StartsWith('[') ? sumPath : "." + sumPath;
}
