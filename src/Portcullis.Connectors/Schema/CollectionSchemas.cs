using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Connectors.Schema;

/// <summary>An array whose every item matches <paramref name="items"/>.</summary>
public sealed class ArraySchema(SchemaNode items) : SchemaNode
{
    /// <summary>The item schema.</summary>
    public SchemaNode Items { get; } = items;

    /// <summary>Refuse an empty array.</summary>
    public bool NonEmpty { get; init; }

    /// <summary>Most items accepted.</summary>
    public int? MaxItems { get; init; }

    /// <summary>
    /// When set, any problem with the array or its items is reported as this one message at the array's
    /// path (Slack blocks: the agent needs the rule, not a list of nested paths into Block Kit).
    /// </summary>
    public string? Problem { get; init; }

    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (Problem is null)
        {
            ValidateItems(value, path, errors);
            return;
        }

        var found = new List<FieldError>();
        ValidateItems(value, path, found);
        if (found.Count > 0)
        {
            errors.Add(new FieldError(path, Problem));
        }
    }

    private void ValidateItems(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError(path, Items is StringSchema ? "must be an array of strings" : "must be an array"));
            return;
        }

        var count = value.GetArrayLength();
        if (NonEmpty && count == 0)
        {
            errors.Add(new FieldError(path, "must not be empty"));
            return;
        }

        if (MaxItems is { } max && count > max)
        {
            errors.Add(new FieldError(path, $"must have at most {max} items"));
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            Items.Validate(item, $"{path}[{index++}]", errors);
        }
    }

    internal override JsonObject Describe()
    {
        var schema = new JsonObject { ["type"] = "array", ["items"] = Items.ToJsonSchema() };
        if (NonEmpty)
        {
            schema["minItems"] = 1;
        }

        if (MaxItems is { } max)
        {
            schema["maxItems"] = max;
        }

        return schema;
    }
}

/// <summary>One string or an array of them (email recipients).</summary>
public sealed class OneOrManySchema(StringSchema item) : SchemaNode
{
    /// <summary>The schema of each string.</summary>
    public StringSchema Item { get; } = item;

    /// <summary>Refuse an empty array.</summary>
    public bool NonEmpty { get; init; }

    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            Item.Validate(value, path, errors);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            new ArraySchema(Item) { NonEmpty = NonEmpty }.Validate(value, path, errors);
        }
        else
        {
            errors.Add(new FieldError(path, "must be a string or an array of strings"));
        }
    }

    internal override JsonObject Describe() => new()
    {
        ["anyOf"] = new JsonArray(Item.ToJsonSchema(), new ArraySchema(Item) { NonEmpty = NonEmpty }.ToJsonSchema()),
    };
}

/// <summary>An object used as a map: any keys (optionally checked), every value matching <paramref name="values"/>.</summary>
public sealed class MapSchema(SchemaNode values) : SchemaNode
{
    /// <summary>The schema of every value.</summary>
    public SchemaNode Values { get; } = values;

    /// <summary>Refuse an empty object.</summary>
    public bool NonEmpty { get; init; }

    /// <summary>Most keys accepted.</summary>
    public int? MaxKeys { get; init; }

    /// <summary>A rule on each key: returns the problem (reported at the entry's path) or null.</summary>
    public Func<string, string?>? KeyCheck { get; init; }

    /// <summary>The JSON Schema <c>propertyNames</c> saying what <see cref="KeyCheck"/> enforces.</summary>
    public JsonObject? KeySchema { get; init; }

    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be an object"));
            return;
        }

        var count = 0;
        foreach (var entry in value.EnumerateObject())
        {
            count++;
            var entryPath = $"{path}.{entry.Name}";
            Values.Validate(entry.Value, entryPath, errors);
            if (KeyCheck?.Invoke(entry.Name) is { } problem)
            {
                errors.Add(new FieldError(entryPath, problem));
            }
        }

        if (NonEmpty && count == 0)
        {
            errors.Add(new FieldError(path, "must not be empty"));
        }

        if (MaxKeys is { } max && count > max)
        {
            errors.Add(new FieldError(path, $"must have at most {max} keys"));
        }
    }

    internal override JsonObject Describe()
    {
        var schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = Values.ToJsonSchema() };
        if (KeySchema is not null)
        {
            schema["propertyNames"] = KeySchema.DeepClone();
        }

        if (NonEmpty)
        {
            schema["minProperties"] = 1;
        }

        if (MaxKeys is { } max)
        {
            schema["maxProperties"] = max;
        }

        return schema;
    }
}
