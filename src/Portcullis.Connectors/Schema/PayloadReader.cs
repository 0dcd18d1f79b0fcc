using System.Globalization;
using System.Text.Json;

namespace Portcullis.Connectors.Schema;

/// <summary>
/// Reads a payload that its schema has already accepted, to build the typed record a connector consumes.
/// Absent and JSON null read alike (as the schema treats them).
/// </summary>
internal readonly struct PayloadReader(JsonElement element)
{
    public JsonElement Root => element;

    /// <summary>True when the field is present with a non-null value.</summary>
    public static bool Has(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        return obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    /// <summary>A positive integer from a JSON number or a string of at most 18 digits; null otherwise.</summary>
    public static long? NumericId(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0)
        {
            return number;
        }

        return value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 and <= 18 } digits
            && digits.All(char.IsAsciiDigit)
            && long.Parse(digits, CultureInfo.InvariantCulture) is > 0 and var parsed
                ? parsed
                : null;
    }

    public bool Has(string name) => Has(element, name, out _);

    /// <summary>True when the field is present at all, JSON null included.</summary>
    public bool HasRaw(string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out _);

    public string? String(string name) => Has(element, name, out var value) ? value.GetString() : null;

    public long? Long(string name) => Has(element, name, out var value) ? value.GetInt64() : null;

    public long? Id(string name) => Has(element, name, out var value) ? NumericId(value) : null;

    public bool? Boolean(string name) => Has(element, name, out var value) ? value.GetBoolean() : null;

    /// <summary>The field's value, cloned so it outlives the payload's document.</summary>
    public JsonElement? Element(string name) => Has(element, name, out var value) ? value.Clone() : null;

    public PayloadReader Nested(string name) => new(Has(element, name, out var value) ? value : default);

    /// <summary>A string or an array of strings, as a list (empty when absent).</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        if (!Has(element, name, out var value))
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.String
            ? [value.GetString()!]
            : value.EnumerateArray().Select(i => i.GetString()!).ToArray();
    }

    /// <summary>An object of strings (empty when absent).</summary>
    public Dictionary<string, string> StringMap(string name) =>
        Has(element, name, out var value)
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
