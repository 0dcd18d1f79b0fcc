using System.Security.Cryptography;

namespace Portcullis.Server.Features.Dashboard.Web;

/// <summary>
/// The dashboard's CSS and scripts (<c>wwwroot/</c>), embedded in the executable so the dashboard works
/// from any working directory. URLs carry a content hash, so browsers may cache them for good.
/// </summary>
public static class Assets
{
    private const string ResourcePrefix = "portcullis.assets.";

    private sealed record Asset(byte[] Content, string ContentType, string Version);

    private static readonly Dictionary<string, Asset> ByName = Load();

    public static string Url(string name) => ByName.TryGetValue(name, out var asset) ? $"/assets/{name}?v={asset.Version}" : $"/assets/{name}";

    public static IResult Serve(HttpContext http, string name)
    {
        if (!ByName.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        var etag = $"\"{asset.Version}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = http.Request.Query["v"] == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
        return http.Request.Headers.IfNoneMatch == etag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }

    private static Dictionary<string, Asset> Load()
    {
        var assembly = typeof(Assets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource[ResourcePrefix.Length..];
            assets[name] = new Asset(content, ContentTypeOf(name), Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
        }

        return assets;
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
