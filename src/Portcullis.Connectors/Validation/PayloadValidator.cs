using System.Globalization;
using System.Text.Json;

namespace Portcullis.Connectors.Validation;

/// <summary>
/// Checks one JSON object field by field and collects every problem instead of stopping at the first,
/// so an agent learns everything wrong with its payload in one round trip.
/// </summary>
internal sealed partial class PayloadValidator
{
    private readonly JsonElement _element;
    private readonly string _path;
    private readonly List<FieldError> _sink;

    private PayloadValidator(JsonElement element, string path, IReadOnlyCollection<string> allowed, List<FieldError> sink)
    {
        _element = element;
        _path = path;
        _sink = sink;
        IsObject = element.ValueKind == JsonValueKind.Object;
        if (!IsObject)
        {
            sink.Add(new FieldError(path, "must be an object"));
            return;
        }

        // SECURITY: unknown fields are refused so a typo (`ammount`) cannot silently turn into a default
        // (a full refund); duplicates are refused because parsers disagree on which one wins.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                sink.Add(new FieldError(PathOf(property.Name), "is set more than once"));
            }
            else if (!allowed.Contains(property.Name))
            {
                sink.Add(new FieldError(PathOf(property.Name), "is not an allowed field"));
            }
        }
    }

    /// <summary>True when the element is a JSON object (otherwise every getter returns null).</summary>
    public bool IsObject { get; }

    /// <summary>Errors collected so far, shared with nested validators.</summary>
    public IReadOnlyList<FieldError> Errors => _sink;

    /// <summary>Starts validating a payload root.</summary>
    public static PayloadValidator ForPayload(JsonElement payload, IReadOnlyCollection<string> allowed) =>
        new(payload, "payload", allowed, []);

    /// <summary>Validates a nested object, reporting into the same error list.</summary>
    public PayloadValidator Nested(string name, JsonElement element, IReadOnlyCollection<string> allowed) =>
        new(element, PathOf(name), allowed, _sink);

    public string PathOf(string name) => $"{_path}.{name}";

    public void Add(string name, string message) => _sink.Add(new FieldError(PathOf(name), message));

    public void AddAt(string path, string message) => _sink.Add(new FieldError(path, message));

    /// <summary>True when the field is present with a non-null value.</summary>
    public bool Has(string name) => TryGet(name, out _);

    /// <summary>True when the field is present at all, JSON null included.</summary>
    public bool HasRaw(string name) => IsObject && _element.TryGetProperty(name, out _);

    public bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return IsObject && _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    public string? String(string name, bool required, bool allowEmpty = false, bool singleLine = false, int? maxLength = null)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(name, "must be a string");
            return null;
        }

        var text = value.GetString()!;
        return CheckText(PathOf(name), text, allowEmpty, singleLine, maxLength) ? text : null;
    }

    public bool? Boolean(string name, bool required)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Add(name, "must be a boolean");
        return null;
    }

    public long? PositiveInteger(string name, bool required)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0)
        {
            return number;
        }

        Add(name, "must be a positive integer");
        return null;
    }

    /// <summary>A positive integer given as a JSON number or as a string of digits (Zendesk ids).</summary>
    public long? PositiveIntegerOrNumericString(string name, bool required)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0)
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 and <= 18 } digits
            && digits.All(char.IsAsciiDigit)
            && long.Parse(digits, CultureInfo.InvariantCulture) is > 0 and var parsed)
        {
            return parsed;
        }

        Add(name, "must be a positive integer or a numeric string");
        return null;
    }

    public string? OneOf(string name, bool required, IReadOnlyList<string> allowed)
    {
        var text = String(name, required);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            Add(name, MustBeOneOf(allowed));
            return null;
        }

        return text;
    }

    public JsonElement? Object(string name, bool required, bool nonEmpty = false)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(name, "must be an object");
            return null;
        }

        if (nonEmpty && !value.EnumerateObject().Any())
        {
            Add(name, "must not be empty");
            return null;
        }

        return value;
    }

    public static string MustBeOneOf(IEnumerable<string> allowed) =>
        "must be one of " + string.Join(", ", allowed.Select(a => $"`{a}`"));

    private bool CheckText(string path, string text, bool allowEmpty, bool singleLine, int? maxLength)
    {
        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            AddAt(path, "must not be empty");
            return false;
        }

        // SECURITY: values that end up in headers (email, webhook) must not smuggle extra header lines.
        if (singleLine && text.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            AddAt(path, "must not contain line breaks");
            return false;
        }

        if (maxLength is { } max && text.Length > max)
        {
            AddAt(path, $"must be at most {max} characters");
            return false;
        }

        return true;
    }

    private bool Present(string name, bool required, out JsonElement value)
    {
        if (TryGet(name, out value))
        {
            return true;
        }

        if (required && IsObject)
        {
            Add(name, "is required");
        }

        return false;
    }
}
