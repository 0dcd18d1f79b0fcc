using System.Net.Http.Headers;
using System.Text.Json;

namespace Portcullis.Connectors.Http;

/// <summary>A provider's answer, fully read (the HTTP response is already disposed).</summary>
internal sealed class ProviderResponse
{
    public required int Status { get; init; }

    public required HttpResponseHeaders Headers { get; init; }

    /// <summary>The body, when it parsed as JSON.</summary>
    public JsonElement? Json { get; init; }

    /// <summary>The start of the body when it was not JSON (HTML error pages and the like).</summary>
    public string? Text { get; init; }

    /// <summary>The provider's Retry-After, relative to when the answer arrived.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>A string property of the JSON body, or null.</summary>
    public string? JsonString(params string[] path)
    {
        if (Json is not { } node)
        {
            return null;
        }

        foreach (var name in path)
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node))
            {
                return null;
            }
        }

        return node.ValueKind switch
        {
            JsonValueKind.String => node.GetString(),
            JsonValueKind.Number => node.GetRawText(),
            _ => null,
        };
    }
}
