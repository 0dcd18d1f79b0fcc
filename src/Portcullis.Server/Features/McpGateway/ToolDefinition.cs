using System.Security.Cryptography;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>A tool as an upstream server lists it, with the hash that pins it.</summary>
public sealed record ToolDefinition(
    string Name, string? Description, string InputSchemaJson, bool? ReadOnlyHint, bool? DestructiveHint, bool? IdempotentHint, bool? OpenWorldHint)
{
    /// <summary>
    /// SHA-256 (lowercase hex) over a canonical form of <c>{name, description, inputSchema}</c>: object keys sorted by code
    /// point, no insignificant whitespace, strings escaped one way, numbers as the upstream wrote them (RFC 8785-like). The
    /// annotations are hints about a tool, not what it does, and are left out of the pin.
    /// </summary>
    public string Hash
    {
        get
        {
            using var schema = JsonDocument.Parse(InputSchemaJson);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("description", Description);
                writer.WritePropertyName("inputSchema");
                WriteCanonical(writer, schema.RootElement);
                writer.WriteString("name", Name);
                writer.WriteEndObject();
            }

            return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
        }
    }

    public static ToolDefinition From(Tool tool) => new(
        tool.Name, tool.Description, tool.InputSchema.GetRawText(),
        tool.Annotations?.ReadOnlyHint, tool.Annotations?.DestructiveHint, tool.Annotations?.IdempotentHint, tool.Annotations?.OpenWorldHint);

    /// <summary>Whether a call of this tool cannot act twice when sent again: its upstream says it is read-only or idempotent.</summary>
    public static bool SafeToRepeat(bool? readOnlyHint, bool? idempotentHint) => readOnlyHint == true || idempotentHint == true;

    internal static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
