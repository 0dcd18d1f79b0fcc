using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Server.Features.Workflows.Templates;

/// <summary>A template that named a variable with no value at run time.</summary>
public sealed record Unresolved(string Field, string Path);

/// <summary>
/// Renders a step's input against the run's variables: every string value is a template; a value that is exactly one
/// reference keeps the JSON type it resolves to, anything else is interpolated into the string. A reference that
/// resolves to nothing (a missing path, or null) is not rendered as "" — it stops the step with the path it named.
/// </summary>
public static class TemplateRenderer
{
    public static (JsonNode? Value, Unresolved? Error) Render(JsonNode? input, JsonObject variables, string field = "input")
    {
        switch (input)
        {
            case JsonObject obj:
                var rendered = new JsonObject();
                foreach (var (name, child) in obj)
                {
                    var (value, error) = Render(child, variables, $"{field}.{name}");
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    rendered[name] = value;
                }

                return (rendered, null);
            case JsonArray array:
                var items = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    var (value, error) = Render(array[i], variables, $"{field}[{i}]");
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    items.Add(value);
                }

                return (items, null);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return RenderString(value.GetValue<string>(), variables, field);
            default:
                return (input?.DeepClone(), null);
        }
    }

    private static (JsonNode? Value, Unresolved? Error) RenderString(string text, JsonObject variables, string field)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return (JsonValue.Create(text), null);
        }

        var template = TemplateParser.Parse(text);
        if (template.IsSingleReference)
        {
            var reference = (ReferencePart)template.Parts[0];
            var resolved = Resolve(variables, reference.Steps);
            return resolved is null ? (null, new Unresolved(field, reference.Path)) : (resolved.DeepClone(), null);
        }

        var sb = new StringBuilder();
        foreach (var part in template.Parts)
        {
            if (part is LiteralPart literal)
            {
                sb.Append(literal.Text);
                continue;
            }

            var reference = (ReferencePart)part;
            if (Resolve(variables, reference.Steps) is not { } value)
            {
                return (null, new Unresolved(field, reference.Path));
            }

            sb.Append(AsText(value));
        }

        return (JsonValue.Create(sb.ToString()), null);
    }

    /// <summary>Follows a path through the variables; null when any step is missing or the value is JSON null.</summary>
    public static JsonNode? Resolve(JsonNode? node, IReadOnlyList<PathStep> path)
    {
        foreach (var step in path)
        {
            node = (step.IsIndex, node) switch
            {
                (true, JsonArray array) => step.Index < array.Count ? array[step.Index] : null,
                (false, JsonObject obj) => obj.TryGetPropertyValue(step.Name!, out var child) ? child : null,
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static string AsText(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };
}
