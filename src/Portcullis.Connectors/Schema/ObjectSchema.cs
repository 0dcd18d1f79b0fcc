using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Connectors.Schema;

/// <summary>One declared field of an object.</summary>
/// <param name="Name">The JSON property name.</param>
/// <param name="Schema">What its value must be.</param>
/// <param name="Required">Must be present with a non-null value.</param>
/// <param name="Nullable">JSON null is meaningful (it clears something) and is advertised as allowed.</param>
public sealed record SchemaField(string Name, SchemaNode Schema, bool Required, bool Nullable);

/// <summary>
/// An object with declared fields. SECURITY: unknown fields are refused so a typo (<c>ammount</c>) cannot
/// silently turn into a default (a full refund); duplicates are refused because parsers disagree on which
/// one wins. An optional field set to JSON null reads as absent.
/// </summary>
public sealed class ObjectSchema : SchemaNode
{
    private readonly List<SchemaField> _fields = [];
    private readonly List<SchemaRule> _rules = [];

    // Where each rule was declared (how many fields came before it), so errors come in declaration order.
    private readonly List<int> _rulePositions = [];

    /// <summary>Accept fields that are not declared (objects owned by the provider, such as Slack blocks).</summary>
    public bool AllowOtherFields { get; init; }

    /// <summary>The declared fields, in declaration order.</summary>
    public IReadOnlyList<SchemaField> Fields => _fields;

    /// <summary>The rules across fields.</summary>
    public IReadOnlyList<SchemaRule> Rules => _rules;

    /// <summary>Declares a field that must be present.</summary>
    public ObjectSchema Required(string name, SchemaNode schema) => Add(new SchemaField(name, schema, true, false));

    /// <summary>Declares a field that may be absent; <paramref name="nullable"/> when null means "clear it".</summary>
    public ObjectSchema Optional(string name, SchemaNode schema, bool nullable = false) => Add(new SchemaField(name, schema, false, nullable));

    /// <summary>Adds a rule across fields (one of two required, …), checked after the fields declared before it.</summary>
    public ObjectSchema Rule(SchemaRule rule)
    {
        _rules.Add(rule);
        _rulePositions.Add(_fields.Count);
        return this;
    }

    internal override void Validate(JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be an object"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                errors.Add(new FieldError($"{path}.{property.Name}", "is set more than once"));
            }
            else if (!AllowOtherFields && !_fields.Exists(f => f.Name == property.Name))
            {
                errors.Add(new FieldError($"{path}.{property.Name}", "is not an allowed field"));
            }
        }

        for (var i = 0; i <= _fields.Count; i++)
        {
            CheckRulesAt(i, value, path, errors);
            if (i == _fields.Count)
            {
                break;
            }

            var field = _fields[i];
            if (PayloadReader.Has(value, field.Name, out var fieldValue))
            {
                field.Schema.Validate(fieldValue, $"{path}.{field.Name}", errors);
            }
            else if (field.Required)
            {
                errors.Add(new FieldError($"{path}.{field.Name}", "is required"));
            }
        }
    }

    private void CheckRulesAt(int position, JsonElement value, string path, List<FieldError> errors)
    {
        for (var r = 0; r < _rules.Count; r++)
        {
            if (_rulePositions[r] == position)
            {
                _rules[r].Check(value, path, errors);
            }
        }
    }

    internal override JsonObject Describe()
    {
        var properties = new JsonObject();
        foreach (var field in _fields)
        {
            var schema = field.Schema.ToJsonSchema();
            properties[field.Name] = field.Nullable
                ? new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) }
                : schema;
        }

        var result = new JsonObject { ["type"] = "object", ["properties"] = properties };
        var required = _fields.Where(f => f.Required).Select(f => f.Name).ToList();
        if (required.Count > 0)
        {
            result["required"] = Array(required);
        }

        if (!AllowOtherFields)
        {
            result["additionalProperties"] = false;
        }

        if (_rules.Count > 0)
        {
            result["allOf"] = new JsonArray(_rules.Select(r => (JsonNode?)r.Describe()).ToArray());
        }

        return result;
    }

    private ObjectSchema Add(SchemaField field)
    {
        _fields.Add(field);
        return this;
    }
}
