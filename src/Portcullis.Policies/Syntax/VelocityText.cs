namespace Portcullis.Policies.Syntax;

/// <summary>Writes velocity queries back in condition syntax for messages and tools.</summary>
internal static class VelocityText
{
    public static string Format(VelocityQuery query)
    {
        var head = query.Aggregate == VelocityAggregate.Sum ? $"SUM(payload{Dotted(query.SumPath)}, " : "COUNT(";
        var scope = query.Scope == VelocityScope.Agent ? "agent" : "workspace";
        var same = query.ActionType is null ? "" : " SAME ACTION";
        return $"{head}LAST {Durations.Format(query.Window)} PER {scope}{same})";
    }

    private static string Dotted(string? sumPath) =>
        string.IsNullOrEmpty(sumPath) ? "" : sumPath.StartsWith('[') ? sumPath : "." + sumPath;
}
