using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Connectors.Schema;

/// <summary>
/// One node of a declarative payload schema. The same declaration validates a payload (collecting every
/// problem, each at its path, in the catalog's wording) and describes itself as JSON Schema (draft 2020-12),
/// so what agents are told and what the server enforces cannot drift apart.
/// </summary>
public abstract class SchemaNode
{
    /// <summary>The JSON Schema dialect every generated schema declares.</summary>
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>Shown to agents and people in the catalog; say what the field is for, not its type.</summary>
    public string? Description { get; init; }

    /// <summary>This node as a JSON Schema fragment (a new object on every call).</summary>
    public JsonObject ToJsonSchema()
    {
        var schema = Describe();
        if (Description is not null)
        {
            schema["description"] = Description;
        }

        return schema;
    }

    /// <summary>Validates a value that is present (JSON null included), adding every problem at or below <paramref name="path"/>.</summary>
    internal abstract void Validate(JsonElement value, string path, List<FieldError> errors);

    internal abstract JsonObject Describe();

    internal static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
}

/// <summary>One of a few integers (MQTT's QoS levels 0, 1, 2).</summary>
public sealed class IntegerChoiceSchema(IReadOnlyList<int> choices) : SchemaNode
{
    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (!(value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && choices.Contains(number)))
        {
            errors.Add(new FieldError(path, $"must be one of {string.Join(", ", choices)}"));
        }
    }

    internal override JsonObject Describe() =>
        new() { ["type"] = "integer", ["enum"] = new JsonArray(choices.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()) };
}

/// <summary>A positive integer (Stripe amounts, in the currency's smallest unit).</summary>
public sealed class PositiveIntegerSchema : SchemaNode
{
    /// <summary>Largest value accepted (page sizes); unbounded when null.</summary>
    public long? Maximum { get; init; }

    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (!(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0))
        {
            errors.Add(new FieldError(path, "must be a positive integer"));
        }
        else if (number > Maximum)
        {
            errors.Add(new FieldError(path, $"must be at most {Maximum}"));
        }
    }

    internal override JsonObject Describe()
    {
        var schema = new JsonObject { ["type"] = "integer", ["minimum"] = 1 };
        if (Maximum is { } maximum)
        {
            schema["maximum"] = maximum;
        }

        return schema;
    }
}

/// <summary>A positive integer given as a JSON number or as a string of digits (Zendesk ids).</summary>
public sealed class NumericIdSchema : SchemaNode
{
    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (PayloadReader.NumericId(value) is null)
        {
            errors.Add(new FieldError(path, "must be a positive integer or a numeric string"));
        }
    }

    internal override JsonObject Describe() => new()
    {
        ["anyOf"] = new JsonArray(
            new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
            new JsonObject { ["type"] = "string", ["pattern"] = "^0*[1-9][0-9]*$", ["maxLength"] = 18 }),
    };
}

/// <summary>true or false.</summary>
public sealed class BooleanSchema : SchemaNode
{
    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new FieldError(path, "must be a boolean"));
        }
    }

    internal override JsonObject Describe() => new() { ["type"] = "boolean" };
}

/// <summary>A string, number, boolean or null (HubSpot property values, which HubSpot stores as strings).</summary>
public sealed class ScalarSchema : SchemaNode
{
    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            errors.Add(new FieldError(path, "must be a string, number, boolean or null"));
        }
    }

    internal override JsonObject Describe() => new() { ["type"] = Array(["string", "number", "boolean", "null"]) };
}

/// <summary>Any JSON value, passed on as it is (a webhook body).</summary>
public sealed class AnySchema : SchemaNode
{
    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
    }

    internal override JsonObject Describe() => [];
}
