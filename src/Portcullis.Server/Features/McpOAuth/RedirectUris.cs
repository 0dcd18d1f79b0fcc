using System.Net;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>
/// Which redirect URIs a client may register (OAuth 2.1 §2.3.1, RFC 8252): https anywhere; http only to the loopback
/// interface (native apps listening on a port); a private-use scheme of a native app (<c>com.example.app:/callback</c>). Never a
/// fragment, never a script-capable or local scheme. At authorization the URI must equal a registered one exactly.
/// </summary>
public static class RedirectUris
{
    private static readonly HashSet<string> Refused = new(StringComparer.OrdinalIgnoreCase) { "javascript", "data", "file", "vbscript", "about", "blob", "ftp", "ws", "wss" };

    public static string? Problem(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 2000 || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return "must be an absolute URI";
        }

        if (uri.Fragment.Length > 0 || text.Contains('#', StringComparison.Ordinal))
        {
            return "must not have a fragment";
        }

        if (Refused.Contains(uri.Scheme))
        {
            return $"may not use the `{uri.Scheme}` scheme";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            return "may use http only for a loopback address (127.0.0.1, [::1] or localhost); use https";
        }

        return uri.UserInfo.Length > 0 ? "must not carry a user name or password" : null;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
