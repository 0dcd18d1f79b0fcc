using System.Text.Json;

namespace Portcullis.Sdk.Tests.Contract;

/// <summary>Reads an OpenAPI 3.1 document as the server publishes it and checks the SDK contract against it.</summary>
public sealed class OpenApiDocument(JsonElement document)
{
    private readonly List<string> _problems = [];

    /// <summary>What the document lacks or says otherwise than the SDKs; empty when they agree.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public void Check(Endpoint endpoint)
    {
        if (!document.GetProperty("paths").TryGetProperty(endpoint.Path, out var path) || !path.TryGetProperty(endpoint.Method, out var operation))
        {
            _problems.Add($"{endpoint}: not in the document");
            return;
        }

        if (endpoint.Request is { } request)
        {
            if (JsonSchemaOf(operation, "requestBody") is { } body)
            {
                CheckObject($"{endpoint} body", body, request, isRequest: true);
            }
            else
            {
                _problems.Add($"{endpoint}: no application/json request body schema (.Accepts<T>)");
            }
        }

        var status = endpoint.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.TryGetProperty("responses", out var responses) && responses.TryGetProperty(status, out var response)
            && JsonSchemaOf(response, null) is { } answer)
        {
            CheckObject($"{endpoint} {status}", answer, endpoint.Response, isRequest: false);
        }
        else
        {
            _problems.Add($"{endpoint}: no application/json schema for {status} (.Produces<T>({status}))");
        }
    }

    private static JsonElement? JsonSchemaOf(JsonElement element, string? member)
    {
        if (member is not null && !element.TryGetProperty(member, out element))
        {
            return null;
        }

        return element.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json)
            && json.TryGetProperty("schema", out var schema) ? schema : null;
    }

    private void CheckObject(string where, JsonElement schema, IReadOnlyList<Field> fields, bool isRequest)
    {
        var resolved = Resolve(schema);
        if (!resolved.TryGetProperty("properties", out var properties))
        {
            _problems.Add($"{where}: an object without properties");
            return;
        }

        var required = resolved.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
        foreach (var field in fields)
        {
            if (!properties.TryGetProperty(field.Name, out var property))
            {
                _problems.Add($"{where}: `{field.Name}` is missing");
                continue;
            }

            var target = Resolve(property);
            if (!Compatible(field.Type, target))
            {
                _problems.Add($"{where}: `{field.Name}` is {field.Type} in the SDKs but {Describe(target)} in the document");
            }

            if (isRequest ? field.Required != required.Contains(field.Name) : field.Required && !required.Contains(field.Name))
            {
                _problems.Add($"{where}: `{field.Name}` is {(field.Required ? "always" : "not always")} sent/present in the SDKs but the document says {(required.Contains(field.Name) ? "required" : "optional")}");
            }

            if (field.Fields is { } nested)
            {
                var inner = field.Type == "array" && target.TryGetProperty("items", out var items) ? items : target;
                CheckObject($"{where}.{field.Name}{(field.Type == "array" ? "[]" : "")}", inner, nested, isRequest);
            }
        }

        if (isRequest)
        {
            foreach (var name in required.Where(n => fields.All(f => f.Name != n)))
            {
                _problems.Add($"{where}: the document requires `{name}`, which the SDKs never send");
            }
        }
    }

    /// <summary>Follows <c>$ref</c>, and takes the non-null branch of a nullable <c>oneOf</c>/<c>anyOf</c>.</summary>
    private JsonElement Resolve(JsonElement schema)
    {
        for (var depth = 0; depth < 10; depth++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!.Split('/')[^1];
                schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
            }
            else if ((schema.TryGetProperty("oneOf", out var choices) || schema.TryGetProperty("anyOf", out choices))
                && choices.EnumerateArray().FirstOrDefault(c => !Types(c).SetEquals(["null"])) is { ValueKind: JsonValueKind.Object } branch)
            {
                schema = branch;
            }
            else
            {
                return schema;
            }
        }

        return schema;
    }

    private static HashSet<string> Types(JsonElement schema) => !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.String ? [type.GetString()!]
        : type.EnumerateArray().Select(t => t.GetString()!).ToHashSet();

    private static bool Compatible(string expected, JsonElement schema) => expected switch
    {
        "any" => true,
        "object" => Types(schema).Contains("object") || schema.TryGetProperty("properties", out _) || schema.TryGetProperty("additionalProperties", out _),
        _ => Types(schema).Contains(expected),
    };

    private static string Describe(JsonElement schema) => Types(schema) is { Count: > 0 } types ? string.Join("|", types) : schema.GetRawText();
}
