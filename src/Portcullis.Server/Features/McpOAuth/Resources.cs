namespace Portcullis.Server.Features.McpOAuth;

/// <summary>RFC 8707 resource indicators: compared without a trailing slash, scheme and host case-insensitively.</summary>
public static class Resources
{
    public static bool Same(string a, string b) => string.Equals(Normal(a), Normal(b), StringComparison.Ordinal);

    private static string Normal(string resource) =>
        Uri.TryCreate(resource, UriKind.Absolute, out var uri)
            ? $"{uri.Scheme.ToLowerInvariant()}://{uri.Authority.ToLowerInvariant()}{uri.AbsolutePath.TrimEnd('/')}"
            : resource;
}
