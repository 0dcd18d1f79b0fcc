using System.Text.Json;

namespace Portcullis.Policies.Tooling;

/// <summary>One entry of a policies file, with the problems found in its fields.</summary>
/// <param name="DisplayName">The policy's name, or <c>#N</c> (its 1-based position) when it has none.</param>
/// <param name="Definition">The policy, or null when <paramref name="Problems"/> lists problems of its fields.</param>
/// <param name="Problems">Problems of the entry's fields (and then of its condition too).</param>
/// <param name="Description">The optional <c>description</c>: the server keeps it, evaluation ignores it.</param>
/// <param name="Mode">The optional <c>mode</c>, <c>enforce</c> (the default) or <c>shadow</c>: a shadow policy is checked but decides nothing.</param>
/// <param name="SlackChannel">The optional <c>slackChannel</c> an approval policy posts to: the server keeps it, evaluation ignores it.</param>
public sealed record PolicyFileEntry(string DisplayName, PolicyDefinition? Definition, IReadOnlyList<Diagnostic> Problems, string? Description = null,
    string? Mode = null, string? SlackChannel = null)
{
    /// <summary>True for a policy in shadow mode.</summary>
    public bool IsShadow => Mode == "shadow";
}

/// <summary>
/// The policies file: a JSON array of <c>{ id?, name, description?, condition, decision, reason?, priority?,
/// enabled?, agentIds?, approvalsRequired?, allowEdit?, approverGroup?, escalateAfter?, escalateTo?, slackChannel?, mode? }</c>. The id defaults to the name. <c>portcullis policy check|eval</c> read it;
/// the server exports and imports it (<c>/api/policies/export|import</c>).
/// </summary>
public static class PolicyFile
{
    /// <summary>Reads a file (comments and trailing commas allowed); null after writing why to <paramref name="stderr"/>.</summary>
    public static List<PolicyFileEntry>? Load(string path, TextWriter stderr)
    {
        using var doc = ToolFiles.ReadJson(path, stderr);
        if (doc is null)
        {
            return null;
        }

        var entries = Read(doc.RootElement);
        if (entries is null)
        {
            stderr.WriteLine($"{path}: expected a JSON array of policies");
        }

        return entries;
    }

    /// <summary>Reads a file's JSON; null when <paramref name="path"/> is unreadable or not JSON (the reason written to <paramref name="stderr"/>).</summary>
    public static JsonDocument? ReadJson(string path, TextWriter stderr) => ToolFiles.ReadJson(path, stderr);

    /// <summary>The entries of a parsed file, each with its problems; null when the root is not an array.</summary>
    public static List<PolicyFileEntry>? Read(JsonElement root) =>
        root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray().Select((e, i) => ReadEntry(e, i + 1))] : null;

    private static PolicyFileEntry ReadEntry(JsonElement e, int position)
    {
        var fallbackName = $"#{position}";
        if (e.ValueKind != JsonValueKind.Object)
        {
            return new PolicyFileEntry(fallbackName, null, [Problem("a policy must be a JSON object")]);
        }

        var problems = new List<Diagnostic>();
        var name = ToolFiles.GetString(e, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(Problem("`name` is required and must be a non-empty string"));
        }

        var condition = ToolFiles.GetString(e, "condition");
        if (condition is null)
        {
            problems.Add(Problem("`condition` is required and must be a string"));
        }

        var decisionText = ToolFiles.GetString(e, "decision");
        if (!PolicyDecisions.TryParse(decisionText, out var decision))
        {
            problems.Add(Problem(ToolFiles.IsAbsent(e, "decision")
                ? "`decision` is required: allow, allow_with_alert, require_approval or block"
                : $"`decision` must be allow, allow_with_alert, require_approval or block, found `{decisionText ?? RawOf(e, "decision")}`"));
        }

        var id = ToolFiles.GetString(e, "id") ?? name ?? fallbackName;
        var reason = OptionalString(e, "reason", problems);
        var description = OptionalString(e, "description", problems);
        var slackChannel = OptionalString(e, "slackChannel", problems);
        var priority = OptionalInt(e, "priority", 0, problems);
        var approvals = OptionalInt(e, "approvalsRequired", 1, problems);
        var enabled = OptionalBool(e, "enabled", true, problems);
        var allowEdit = OptionalBool(e, "allowEdit", false, problems);
        var group = OptionalString(e, "approverGroup", problems);
        var escalateTo = OptionalString(e, "escalateTo", problems);
        var escalateAfter = ToolFiles.IsAbsent(e, "escalateAfter") ? (int?)null : OptionalInt(e, "escalateAfter", 0, problems);
        var routing = group is null && escalateTo is null && escalateAfter is null ? null : new ApprovalRouting(group, escalateAfter, escalateTo);
        var agents = OptionalStrings(e, "agentIds", problems);
        var mode = OptionalString(e, "mode", problems);
        if (mode is not null and not "enforce" and not "shadow")
        {
            problems.Add(Problem($"`mode` must be enforce or shadow, found `{mode}`"));
        }

        if (problems.Count > 0)
        {
            // Still check the condition so one run shows every problem of the entry.
            if (condition is not null)
            {
                problems.AddRange(PolicyCondition.Parse(condition).Diagnostics);
            }

            return new PolicyFileEntry(name ?? fallbackName, null, problems, description, mode, slackChannel);
        }

        var definition = new PolicyDefinition(id, name!, condition!, decision, reason, priority, enabled, agents, approvals, allowEdit, routing);
        return new PolicyFileEntry(name!, definition, [], description, mode, slackChannel);
    }

    private static string? OptionalString(JsonElement e, string name, List<Diagnostic> problems)
    {
        if (ToolFiles.IsAbsent(e, name))
        {
            return null;
        }

        var value = ToolFiles.GetString(e, name);
        if (value is null)
        {
            problems.Add(Problem($"`{name}` must be a string"));
        }

        return value;
    }

    private static int OptionalInt(JsonElement e, string name, int fallback, List<Diagnostic> problems)
    {
        if (ToolFiles.IsAbsent(e, name))
        {
            return fallback;
        }

        var v = e.GetProperty(name);
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var value))
        {
            return value;
        }

        problems.Add(Problem($"`{name}` must be an integer, found `{RawOf(e, name)}`"));
        return fallback;
    }

    private static bool OptionalBool(JsonElement e, string name, bool fallback, List<Diagnostic> problems)
    {
        if (ToolFiles.IsAbsent(e, name))
        {
            return fallback;
        }

        var v = e.GetProperty(name);
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetBoolean();
        }

        problems.Add(Problem($"`{name}` must be true or false, found `{RawOf(e, name)}`"));
        return fallback;
    }

    private static List<string>? OptionalStrings(JsonElement e, string name, List<Diagnostic> problems)
    {
        if (ToolFiles.IsAbsent(e, name))
        {
            return null;
        }

        var v = e.GetProperty(name);
        if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String))
        {
            return [.. v.EnumerateArray().Select(x => x.GetString()!)];
        }

        problems.Add(Problem($"`{name}` must be an array of strings"));
        return null;
    }

    private static string RawOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? Shorten(v.GetRawText()) : "nothing";

    private static string Shorten(string text) => text.Length > 40 ? text[..37] + "..." : text;

    private static Diagnostic Problem(string message) => new(DiagnosticCodes.InvalidPolicy, message, 0, 0, 0, "");
}
