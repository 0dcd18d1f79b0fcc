using System.Text.Json;

namespace Portcullis.Server.Cli;

/// <summary>How <c>portcullis policy push</c> prints the server's answers: the diff, or the file's problems.</summary>
internal static class PolicyPushOutput
{
    /// <summary><c>+ NAME</c>, <c>~ NAME</c>, <c>- NAME</c> per policy added, changed or removed, then a summary line.</summary>
    public static int PrintDiff(TextWriter stdout, string file, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var (added, changed, removed, unchanged) = (Names(root, "added"), Names(root, "changed"), Names(root, "removed"), Names(root, "unchanged"));
        added.ForEach(n => stdout.WriteLine($"+ {n}"));
        changed.ForEach(n => stdout.WriteLine($"~ {n}"));
        removed.ForEach(n => stdout.WriteLine($"- {n}"));

        var dryRun = root.GetProperty("dryRun").GetBoolean();
        var revision = root.GetProperty("revision").GetInt64();
        var counts = $"{added.Count} added, {changed.Count} changed, {removed.Count} removed, {unchanged.Count} unchanged";
        var outcome = dryRun
            ? "dry run, nothing was changed"
            : added.Count + changed.Count + removed.Count == 0 ? $"nothing to change, policy revision {revision}" : $"now policy revision {revision}";
        stdout.WriteLine($"{file}: {counts} ({outcome})");
        return PolicyRemote.Ok;
    }

    /// <summary>Prints an <c>invalid_policy_file</c> problem as <c>policy check</c> prints diagnostics; false for any other answer.</summary>
    public static bool PrintFileProblems(TextWriter stdout, string file, string body)
    {
        if (Parse(body) is not { } root
            || !root.TryGetProperty("code", out var code) || code.GetString() != Features.Policies.Files.PolicyFilesApi.InvalidFileCode)
        {
            return false;
        }

        if (root.TryGetProperty("diagnostics", out var diagnostics))
        {
            foreach (var d in diagnostics.EnumerateArray())
            {
                var line = d.GetProperty("line").GetInt32();
                var where = line > 0 ? $"{line}:{d.GetProperty("column").GetInt32()}: " : "";
                stdout.WriteLine($"{file}: policy `{d.GetProperty("policy").GetString()}`: {where}{d.GetProperty("code").GetString()}: {d.GetProperty("message").GetString()}");
                foreach (var excerpt in (d.GetProperty("excerpt").GetString() ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    stdout.WriteLine("    " + excerpt);
                }
            }
        }

        stdout.WriteLine($"{file}: {root.GetProperty("detail").GetString()}");
        return true;
    }

    /// <summary>A problem's <c>code</c> and <c>detail</c>, or the start of a body that is not one.</summary>
    public static string ProblemSummary(string body) =>
        Parse(body) is { } root && root.TryGetProperty("code", out var code) && root.TryGetProperty("detail", out var detail)
            ? $"{code.GetString()}: {detail.GetString()}"
            : body.Length > 200 ? body[..200] : body;

    private static List<string> Names(JsonElement root, string property) =>
        [.. root.GetProperty(property).EnumerateArray().Select(n => n.GetString()!)];

    private static JsonElement? Parse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
