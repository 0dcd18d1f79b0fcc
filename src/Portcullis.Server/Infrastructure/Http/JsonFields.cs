using System.Globalization;
using System.Text.Json;

namespace Portcullis.Server.Infrastructure.Http;

/// <summary>
/// Typed reads of the members of a JSON object that record an error (by field path) instead of
/// throwing, so one pass over a request finds every problem.
/// </summary>
public readonly struct JsonFields(JsonElement obj, FieldErrors errors, string pathPrefix = "")
{
    public FieldErrors Errors => errors;

    public string Path(string name) => pathPrefix.Length == 0 ? name : $"{pathPrefix}.{name}";

    public bool Has(string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? String(string name, bool required = false, int maxLength = 256)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(Path(name), "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(Path(name), "must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (required && text.Length == 0)
        {
            errors.Add(Path(name), "must not be empty");
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(Path(name), $"must be at most {maxLength} characters");
            return null;
        }

        return text;
    }

    /// <summary>A string member, checked for its type only: its rules belong to the use case it is read for.</summary>
    public string? Text(string name) => String(name, maxLength: int.MaxValue);

    public long? Integer(string name, bool required = false, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(Path(name), "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            errors.Add(Path(name), "must be an integer");
            return null;
        }

        if (number < min || number > max)
        {
            errors.Add(Path(name), max == long.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}");
            return null;
        }

        return number;
    }

    public bool? Boolean(string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(Path(name), "must be a boolean");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>An ISO 8601 timestamp with an offset, as unix milliseconds.</summary>
    public long? Timestamp(string name)
    {
        var text = String(name, maxLength: 64);
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            errors.Add(Path(name), "must be an ISO 8601 timestamp");
            return null;
        }

        return at.ToUnixTimeMilliseconds();
    }

    /// <summary>A JSON object member; with <paramref name="maxBytes"/> its serialised size is bounded.</summary>
    public JsonElement? Object(string name, bool required = false, int maxBytes = int.MaxValue) =>
        ObjectWithText(name, required, maxBytes)?.Element;

    /// <summary>Like <see cref="Object"/>, also returning the member's JSON text (read once).</summary>
    public (JsonElement Element, string Text)? ObjectWithText(string name, bool required = false, int maxBytes = int.MaxValue)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(Path(name), "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Path(name), "must be an object");
            return null;
        }

        var text = value.GetRawText();
        if (System.Text.Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            errors.Add(Path(name), $"must be at most {maxBytes} bytes of JSON");
            return null;
        }

        return (value, text);
    }

    public JsonElement? Array(string name, bool required = false)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(Path(name), "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Path(name), "must be an array");
            return null;
        }

        return value;
    }

    /// <summary>A string that must be one of <paramref name="allowed"/>.</summary>
    public string? OneOf(string name, IReadOnlyCollection<string> allowed, bool required = false)
    {
        var text = String(name, required, 64);
        if (text is not null && !allowed.Contains(text))
        {
            errors.Add(Path(name), $"must be one of {string.Join(", ", allowed.Select(a => $"`{a}`"))}");
            return null;
        }

        return text;
    }
}
