using System.Text.Json;

namespace Portcullis.Policies.Tooling;

/// <summary>Reading the JSON files the CLI takes; a failure here is exit code 2.</summary>
internal static class ToolFiles
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 128,
    };

    /// <summary>Reads and parses a JSON file; returns null and writes the reason to <paramref name="stderr"/> on failure.</summary>
    public static JsonDocument? ReadJson(string path, TextWriter stderr)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"{path}: cannot read file: {e.Message}");
            return null;
        }

        try
        {
            return JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            stderr.WriteLine($"{path}: invalid JSON{where}");
            return null;
        }
    }

    public static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>True when the property is absent or JSON null.</summary>
    public static bool IsAbsent(JsonElement obj, string name) =>
        !obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null;
}
