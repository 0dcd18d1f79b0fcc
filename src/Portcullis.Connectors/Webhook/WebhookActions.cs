using System.Text.Json;
using Portcullis.Connectors.Validation;

namespace Portcullis.Connectors.Webhook;

internal sealed record HttpRequestAction(string Path, string Method, JsonElement? Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>Generic webhook (<c>http.request</c>) payload schema.</summary>
internal static class WebhookActions
{
    public const string HttpRequestType = "http.request";

    public static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>
    /// Headers Portcullis sets itself. SECURITY: letting the agent set them would let it replace the
    /// credential (Authorization), aim the request at another virtual host (Host), forge the signature,
    /// or desynchronise the framing of the request.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Host", "Content-Length", "Content-Type", "Transfer-Encoding",
        "Connection", "Upgrade", "TE", "Trailer", "Expect", "Idempotency-Key", WebhookSignature.HeaderName,
    };

    public static readonly ActionDefinition[] Definitions = [new(HttpRequestType, ProviderNames.Webhook, ParseRequest)];

    private static ParsedPayload ParseRequest(JsonElement payload)
    {
        var v = PayloadValidator.ForPayload(payload, ["path", "method", "body", "headers"]);
        var path = v.String("path", required: true, singleLine: true, maxLength: 2048);
        if (path is not null && PathProblem(path) is { } problem)
        {
            v.Add("path", problem);
            path = null;
        }

        var method = v.OneOf("method", required: false, Methods) ?? "POST";
        JsonElement? body = v.TryGet("body", out var b) ? b.Clone() : null;
        if (body is not null && method == "GET")
        {
            v.Add("body", "is not allowed with `GET`");
        }

        var headers = v.StringMap("headers", required: false, singleLineValues: true);
        foreach (var name in headers?.Keys ?? [])
        {
            if (ReservedHeaders.Contains(name))
            {
                v.AddAt($"{v.PathOf("headers")}.{name}", $"must not set `{name}`: portcullis sets it");
            }
            else if (name.Length == 0 || !name.All(IsTokenChar))
            {
                v.AddAt($"{v.PathOf("headers")}.{name}", "must be a valid header name");
            }
        }

        return ParsedPayload.From(v, () => new HttpRequestAction(path!, method, body, headers?.ToDictionary(h => h.Key, h => h.Value!) ?? new Dictionary<string, string>()));
    }

    /// <summary>
    /// SECURITY: the path is appended to the credential's base URL, so anything that could change the
    /// scheme, host or port (an absolute URL, a protocol-relative <c>//host</c>, a backslash that some
    /// stacks read as a slash) or climb out of the base path (<c>..</c>) is refused here and checked again
    /// on the final URL.
    /// </summary>
    internal static string? PathProblem(string path)
    {
        // A URL inside the query string (?next=https://…) is data for the receiver and cannot move the host.
        var pathOnly = path.Split('?', 2)[0];
        if (pathOnly.Contains("://", StringComparison.Ordinal) || Uri.TryCreate(path, UriKind.Absolute, out var abs) && abs.Scheme is "http" or "https")
        {
            return "must be a path, not an absolute url";
        }

        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal))
        {
            return "must start with `/` (a single slash)";
        }

        if (path.Contains('\\') || path.Contains('#') || path.Any(char.IsControl) || path.Any(char.IsWhiteSpace))
        {
            return "must not contain spaces, backslashes, `#` or control characters";
        }

        var decoded = Uri.UnescapeDataString(pathOnly);
        if (decoded.Split('/').Any(segment => segment is "." or "..") || decoded.Contains('\\') || decoded.StartsWith("//", StringComparison.Ordinal))
        {
            return "must not contain `.` or `..` segments";
        }

        return null;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
