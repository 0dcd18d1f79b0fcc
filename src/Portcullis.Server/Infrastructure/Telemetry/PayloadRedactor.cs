using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portcullis.Server.Infrastructure.Telemetry;

/// <summary>
/// The form a payload takes in a span when payload capture is on: the JSON with the value of every member whose name
/// suggests a secret or personal identifier masked, cut to a length. Redacted like the logs: names stay, values go.
/// </summary>
public static partial class PayloadRedactor
{
    public const string Mask = "[redacted]";

    public static string Redact(JsonElement payload, int maxChars)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, payload);
        }

        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        return text.Length <= maxChars ? text : text[..maxChars] + "…";
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var member in element.EnumerateObject())
                {
                    writer.WritePropertyName(member.Name);
                    if (Sensitive().IsMatch(member.Name))
                    {
                        writer.WriteStringValue(Mask);
                    }
                    else
                    {
                        Write(writer, member.Value);
                    }
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
            default:
                element.WriteTo(writer);
                break;
        }
    }

    [GeneratedRegex("secret|token|password|passwd|api_?key|authorization|credential|cookie|card|cvc|iban|ssn|private", RegexOptions.IgnoreCase)]
    private static partial Regex Sensitive();
}
