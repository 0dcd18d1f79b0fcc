using System.Net.Http.Headers;
using System.Text.Json;

namespace Portcullis.Client.Http;

/// <summary>Turns a non-2xx answer into a <see cref="PortcullisException"/>.</summary>
internal static class ErrorReader
{
    public static PortcullisException FromAnswer(int status, HttpResponseHeaders headers, string body)
    {
        var problem = ParseProblem(body);
        var message = StringMember(problem, "detail") ?? StringMember(problem, "title") ?? Describe(status, body);
        return new PortcullisException(
            status,
            message,
            StringMember(problem, "code"),
            StringMember(problem, "requestId") ?? RequestId(headers),
            FieldErrors(problem),
            RetryAfter(headers),
            problem);
    }

    public static string? RequestId(HttpResponseHeaders headers) =>
        headers.TryGetValues("X-Request-Id", out var values) ? values.FirstOrDefault() : null;

    /// <summary>Reads <c>Retry-After</c> as delta-seconds or an HTTP date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds)) : TimeSpan.Zero;
        }

        return null;
    }

    private static JsonElement? ParseProblem(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            // Proxies answer with HTML or plain text; the status and headers still describe the error.
            return null;
        }
    }

    private static string? StringMember(JsonElement? problem, string name) =>
        problem is { } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static Dictionary<string, string[]>? FieldErrors(JsonElement? problem)
    {
        if (problem is not { } p || !p.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var fields = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in errors.EnumerateObject())
        {
            fields[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                ? [.. field.Value.EnumerateArray().Select(message => message.ToString())]
                : [field.Value.ToString()];
        }

        return fields;
    }

    private static string Describe(int status, string body)
    {
        var text = body.Trim();
        return text.Length > 0 ? text[..Math.Min(200, text.Length)] : $"HTTP {status}";
    }
}
