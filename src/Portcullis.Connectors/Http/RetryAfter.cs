using System.Net.Http.Headers;

namespace Portcullis.Connectors.Http;

/// <summary>Reads Retry-After in both of its forms (delta seconds or an HTTP date).</summary>
internal static class RetryAfter
{
    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is not { } value)
        {
            return null;
        }

        var delay = value.Delta ?? (value.Date is { } date ? date - now : null);
        return delay is { } d ? (d < TimeSpan.Zero ? TimeSpan.Zero : d) : null;
    }
}
