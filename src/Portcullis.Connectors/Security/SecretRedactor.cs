using System.Text.Json;
using System.Text.Json.Nodes;

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

        var node = JsonNode.Parse(element.GetRawText());
        return JsonSerializer.SerializeToElement(RedactNode(node));
    }

    private bool ContainsSecret(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => _secrets.Any(s => element.GetString()!.Contains(s, StringComparison.Ordinal)),
        JsonValueKind.Object => element.EnumerateObject().Any(p => _secrets.Any(s => p.Name.Contains(s, StringComparison.Ordinal)) || ContainsSecret(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(ContainsSecret),
        _ => false,
    };

    private JsonNode? RedactNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj.ToList())
                {
                    obj.Remove(name);
                    copy[Redact(name)] = RedactNode(value);
                }

                return copy;
            case JsonArray array:
                var items = array.ToList();
                array.Clear();
                return new JsonArray(items.Select(RedactNode).ToArray());
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(Redact(value.GetValue<string>()));
            default:
                return node;
        }
    }
}
