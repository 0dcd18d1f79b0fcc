using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Connectors.Schema;

/// <summary>
/// A rule across the fields of one object, declared once: the check that reports it and the JSON Schema
/// (2020-12 keywords such as <c>anyOf</c>, <c>oneOf</c>, <c>if</c>/<c>then</c>) that states it.
/// </summary>
public sealed class SchemaRule
{
    private readonly Action<JsonElement, string, List<FieldError>> _check;
    private readonly Func<JsonObject> _describe;

    private SchemaRule(string summary, Action<JsonElement, string, List<FieldError>> check, Func<JsonObject> describe)
    {
        Summary = summary;
        _check = check;
        _describe = describe;
    }

    /// <summary>The rule in words (for documentation and the catalog's description).</summary>
    public string Summary { get; }

    /// <summary>At least one of the two fields is set; the problem is reported at <paramref name="first"/>.</summary>
    public static SchemaRule AnyOf(string first, string second) => new(
        $"one of `{first}` or `{second}` is required",
        (value, path, errors) =>
        {
            if (!PayloadReader.Has(value, first, out _) && !PayloadReader.Has(value, second, out _))
            {
                errors.Add(new FieldError($"{path}.{first}", $"one of `{first}` or `{second}` is required"));
            }
        },
        () => new JsonObject { ["anyOf"] = RequiredEach(first, second) });

    /// <summary>Exactly one of the two fields is set.</summary>
    public static SchemaRule ExactlyOne(string first, string second) => new(
        $"exactly one of `{first}` or `{second}`",
        (value, path, errors) =>
        {
            var hasFirst = PayloadReader.Has(value, first, out _);
            var hasSecond = PayloadReader.Has(value, second, out _);
            if (!hasFirst && !hasSecond)
            {
                errors.Add(new FieldError($"{path}.{first}", $"one of `{first}` or `{second}` is required"));
            }
            else if (hasFirst && hasSecond)
            {
                errors.Add(new FieldError($"{path}.{second}", $"must not be set together with `{first}`"));
            }
        },
        () => new JsonObject { ["oneOf"] = RequiredEach(first, second) });

    /// <summary>At most one of the two fields is set; the problem is reported at <paramref name="second"/>.</summary>
    public static SchemaRule NotBoth(string first, string second) => new(
        $"not both `{first}` and `{second}`",
        (value, path, errors) =>
        {
            if (PayloadReader.Has(value, first, out _) && PayloadReader.Has(value, second, out _))
            {
                errors.Add(new FieldError($"{path}.{second}", $"must not be set together with `{first}`"));
            }
        },
        () => new JsonObject { ["not"] = new JsonObject { ["required"] = SchemaNode.Array([first, second]) } });

    /// <summary>The object <paramref name="field"/> must have a property unless <paramref name="unless"/> is set.</summary>
    public static SchemaRule NotEmptyUnless(string field, string unless) => new(
        $"`{field}` must not be empty unless `{unless}` is set",
        (value, path, errors) =>
        {
            if (PayloadReader.Has(value, field, out var inner) && inner.ValueKind == JsonValueKind.Object
                && !inner.EnumerateObject().Any() && !PayloadReader.Has(value, unless, out _))
            {
                errors.Add(new FieldError($"{path}.{field}", "must not be empty"));
            }
        },
        () => new JsonObject
        {
            ["anyOf"] = new JsonArray(
                new JsonObject { ["required"] = SchemaNode.Array([unless]) },
                new JsonObject { ["properties"] = new JsonObject { [field] = new JsonObject { ["minProperties"] = 1 } } }),
        });

    /// <summary><paramref name="field"/> must be absent when <paramref name="other"/> is <paramref name="value"/>.</summary>
    public static SchemaRule ForbiddenWhen(string field, string other, string value) => new(
        $"`{field}` is not allowed when `{other}` is `{value}`",
        (payload, path, errors) =>
        {
            if (PayloadReader.Has(payload, other, out var actual) && actual.ValueKind == JsonValueKind.String
                && actual.GetString() == value && PayloadReader.Has(payload, field, out _))
            {
                errors.Add(new FieldError($"{path}.{field}", $"is not allowed with `{value}`"));
            }
        },
        () => new JsonObject
        {
            ["if"] = new JsonObject
            {
                ["properties"] = new JsonObject { [other] = new JsonObject { ["const"] = value } },
                ["required"] = SchemaNode.Array([other]),
            },
            ["then"] = new JsonObject { ["not"] = new JsonObject { ["required"] = SchemaNode.Array([field]) } },
        });

    internal void Check(JsonElement value, string path, List<FieldError> errors) => _check(value, path, errors);

    internal JsonObject Describe()
    {
        var schema = _describe();
        schema["description"] = Summary;
        return schema;
    }

    private static JsonArray RequiredEach(params string[] fields) =>
        new(fields.Select(f => (JsonNode?)new JsonObject { ["required"] = SchemaNode.Array([f]) }).ToArray());
}
