using System.Globalization;

namespace Portcullis.Server.Infrastructure;

/// <summary>Stored times are unix milliseconds; the wire uses ISO 8601 UTC.</summary>
public static class Times
{
    public static string ToIso(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string? ToIso(long? unixMs) => unixMs is { } v ? ToIso(v) : null;

    public static long Now(this TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();
}
