using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Connectors.Schema;

/// <summary>
/// A string: not blank unless <see cref="AllowEmpty"/>, optionally one line, at most so long, one of a list,
/// and any rule a regular expression cannot state well (<see cref="Check"/>, with its JSON Schema twin in
/// <see cref="Pattern"/> or <see cref="Format"/>).
/// </summary>
public sealed class StringSchema : SchemaNode
{
    /// <summary>Accept "" and whitespace-only strings.</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>Refuse CR and LF. SECURITY: values that end up in headers must not smuggle extra header lines.</summary>
    public bool SingleLine { get; init; }

    /// <summary>Longest accepted length, in UTF-16 code units.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The only accepted values.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>A further rule: returns the problem (lowercase, no final period) or null.</summary>
    public Func<string, string?>? Check { get; init; }

    /// <summary>
    /// A JSON Schema pattern saying what <see cref="Check"/> enforces, where a regular expression can. It stands
    /// in for the generic "not blank" pattern, so it must refuse blank strings itself unless <see cref="AllowEmpty"/>.
    /// </summary>
    public string? Pattern { get; init; }

    /// <summary>A JSON Schema format (<c>email</c>, …) saying what <see cref="Check"/> enforces.</summary>
    public string? Format { get; init; }

    /// <summary>The catalog's wording for a value outside an enum.</summary>
    public static string MustBeOneOf(IEnumerable<string> allowed) =>
        "must be one of " + string.Join(", ", allowed.Select(a => $"`{a}`"));

    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(path, "must be a string"));
        }
        else if (Problem(value.GetString()!) is { } problem)
        {
            errors.Add(new FieldError(path, problem));
        }
    }

    private string? Problem(string text)
    {
        if (!AllowEmpty && string.IsNullOrWhiteSpace(text))
        {
            return "must not be empty";
        }

        if (SingleLine && text.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            return "must not contain line breaks";
        }

        if (MaxLength is { } max && text.Length > max)
        {
            return $"must be at most {max} characters";
        }

        if (Enum is not null && !Enum.Contains(text, StringComparer.Ordinal))
        {
            return MustBeOneOf(Enum);
        }

        return Check?.Invoke(text);
    }

    internal override JsonObject Describe()
    {
        var schema = new JsonObject { ["type"] = "string" };
        if (Enum is not null)
        {
            schema["enum"] = Array(Enum);
            return schema;
        }

        if (MaxLength is { } max)
        {
            schema["maxLength"] = max;
        }

        if (Format is not null)
        {
            schema["format"] = Format;
        }

        // Each rule is its own pattern; JSON Schema has one `pattern` keyword, so extra ones go in allOf.
        var patterns = new List<string>();
        if (!AllowEmpty && Pattern is null)
        {
            patterns.Add(@"\S");
        }

        if (SingleLine)
        {
            patterns.Add(@"^[^\r\n]*$");
        }

        if (Pattern is not null)
        {
            patterns.Add(Pattern);
        }

        if (patterns.Count > 0)
        {
            schema["pattern"] = patterns[0];
        }

        if (patterns.Count > 1)
        {
            schema["allOf"] = new JsonArray(patterns.Skip(1).Select(p => (JsonNode?)new JsonObject { ["pattern"] = p }).ToArray());
        }

        return schema;
    }
}
