using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Schema;

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

    private static readonly MapSchema Headers = new(new StringSchema { AllowEmpty = true, SingleLine = true })
    {
        KeyCheck = name => ReservedHeaders.Contains(name) ? $"must not set `{name}`: portcullis sets it"
            : name.Length == 0 || !name.All(IsTokenChar) ? "must be a valid header name"
            : null,
        KeySchema = new JsonObject { ["pattern"] = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
        Description = "Extra request headers. Portcullis sets Authorization, Host, Content-Type, Idempotency-Key, "
            + "the signature and the framing headers itself; they cannot be given here.",
    };

    public static readonly ActionDescriptor[] Actions =
    [
        // Idempotent because every request carries an Idempotency-Key derived from the action request id, so
        // a receiver that honours it sees one request; destructive because the receiver may do anything.
        new(HttpRequestType, "Send an HTTP request to the connected endpoint.",
            new ObjectSchema()
                .Required("path", new StringSchema
                {
                    SingleLine = true,
                    MaxLength = 2048,
                    Check = PathProblem,
                    Pattern = "^/([^/]|$)",
                    Description = "Path (and query) appended to the credential's base URL, starting with a single `/`; "
                        + "no absolute URLs, `.` or `..` segments, backslashes, `#`, spaces or control characters.",
                })
                .Optional("method", new StringSchema { Enum = Methods, Description = "HTTP method (default POST)." })
                .Optional("body", new AnySchema { Description = "JSON body, sent as it is." })
                .Rule(SchemaRule.ForbiddenWhen("body", "method", "GET"))
                .Optional("headers", Headers),
            new ActionHints(ReadOnly: false, Destructive: true, Idempotent: true),
            p => new HttpRequestAction(p.String("path")!, p.String("method") ?? "POST", p.Element("body"), p.StringMap("headers"))),
    ];

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
