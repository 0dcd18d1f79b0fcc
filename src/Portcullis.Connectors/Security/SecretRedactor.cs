using System.Buffers;
using System.Text.Json;

namespace Portcullis.Connectors.Security;

/// <summary>
/// Replaces every known secret (and its URL-encoded form) in text and JSON a provider sent back.
/// Defence in depth: providers rarely echo credentials, but one that does must not leak them into the
/// run timeline.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "[redacted]";

    // Shorter strings would match ordinary text; every real credential is far longer.
    private const int MinimumSecretLength = 6;

    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string> secrets)
    {
        _secrets = secrets
            .Where(s => s.Length >= MinimumSecretLength)
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s) })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    public JsonElement Redact(JsonElement element)
    {
        if (_secrets.Length == 0 || !ContainsSecret(element))
        {
            return element.Clone();
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, element);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private bool ContainsSecret(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => _secrets.Any(s => element.GetString()!.Contains(s, StringComparison.Ordinal)),
        JsonValueKind.Object => element.EnumerateObject().Any(p => _secrets.Any(s => p.Name.Contains(s, StringComparison.Ordinal)) || ContainsSecret(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(ContainsSecret),
        _ => false,
    };

    private void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(Redact(property.Name));
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(Redact(element.GetString()!));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
