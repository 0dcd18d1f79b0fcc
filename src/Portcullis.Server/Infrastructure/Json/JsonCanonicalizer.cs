using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portcullis.Server.Infrastructure.Json;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS): no whitespace, object members sorted by the UTF-16 code units of their
/// names, strings with only the escapes JSON requires, numbers as ECMAScript's <c>Number.prototype.toString</c> writes
/// the IEEE-754 double they denote.
/// </summary>
public static class JsonCanonicalizer
{
    public static string Canonicalize(JsonElement value)
    {
        var builder = new StringBuilder();
        Write(builder, value);
        return builder.ToString();
    }

    public static void Write(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var first = true;
                // Ordinal comparison of .NET strings is exactly RFC 8785's order: UTF-16 code units, unsigned.
                foreach (var member in value.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    builder.Append(first ? "" : ",");
                    first = false;
                    WriteString(builder, member.Name);
                    builder.Append(':');
                    Write(builder, member.Value);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    builder.Append(index++ == 0 ? "" : ",");
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, value.GetString()!);
                break;
            case JsonValueKind.Number:
                // A number beyond the double range (1e400) has no JCS form; its text stands in, so hashing never throws.
                builder.Append(value.TryGetDouble(out var number) ? EcmaScriptNumber.Format(number) : value.GetRawText());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    public static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (ch < 0x20)
                    {
                        builder.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(ch);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
