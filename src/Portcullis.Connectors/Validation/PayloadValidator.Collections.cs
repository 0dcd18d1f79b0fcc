using System.Text.Json;

namespace Portcullis.Connectors.Validation;

/// <summary>Readers for maps and arrays of strings.</summary>
internal sealed partial class PayloadValidator
{
    /// <summary>
    /// An object whose values are all strings (Stripe metadata, webhook headers). Returns every key, so
    /// callers can check the names too; values that failed are reported and left out.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? StringMap(string name, bool required, bool singleLineValues = false)
    {
        if (Object(name, required) is not { } map)
        {
            return null;
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            var path = $"{PathOf(name)}.{entry.Name}";
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                AddAt(path, "must be a string");
                result[entry.Name] = null;
            }
            else
            {
                var text = entry.Value.GetString()!;
                result[entry.Name] = CheckText(path, text, allowEmpty: true, singleLineValues, maxLength: null) ? text : null;
            }
        }

        return result;
    }

    /// <summary>A string, or an array of strings (non-empty when <paramref name="required"/>).</summary>
    public IReadOnlyList<string>? StringOrStringArray(string name, bool required, Func<string, string?>? check = null)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var single = value.GetString()!;
            return CheckItem(PathOf(name), single, check) ? [single] : null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(name, "must be a string or an array of strings");
            return null;
        }

        return Items(name, value, nonEmpty: required, check);
    }

    public IReadOnlyList<string>? StringArray(string name, bool required, bool nonEmpty = false, Func<string, string?>? check = null)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(name, "must be an array of strings");
            return null;
        }

        return Items(name, value, nonEmpty, check);
    }

    private List<string>? Items(string name, JsonElement array, bool nonEmpty, Func<string, string?>? check)
    {
        if (nonEmpty && array.GetArrayLength() == 0)
        {
            Add(name, "must not be empty");
            return null;
        }

        var items = new List<string>();
        var ok = true;
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{PathOf(name)}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                AddAt(path, "must be a string");
                ok = false;
                continue;
            }

            var text = item.GetString()!;
            ok &= CheckItem(path, text, check);
            items.Add(text);
        }

        return ok ? items : null;
    }

    private bool CheckItem(string path, string text, Func<string, string?>? check)
    {
        if (check?.Invoke(text) is { } problem)
        {
            AddAt(path, problem);
            return false;
        }

        return true;
    }
}
