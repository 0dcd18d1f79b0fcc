namespace Portcullis.Connectors.Tests.Infrastructure;

/// <summary>
/// Answers like Google does for the calls the Gmail connector makes, enforcing each token's scopes:
/// token-info reports them, reading the profile needs a read scope, sending needs a send scope.
/// </summary>
public static class FakeGmail
{
    public const string SendScope = "https://www.googleapis.com/auth/gmail.send";
    public const string ReadonlyScope = "https://www.googleapis.com/auth/gmail.readonly";

    private static readonly string[] ReadScopes = [ReadonlyScope, "https://www.googleapis.com/auth/gmail.modify", "https://mail.google.com/"];
    private static readonly string[] SendScopes = [SendScope, "https://www.googleapis.com/auth/gmail.compose", "https://www.googleapis.com/auth/gmail.modify", "https://mail.google.com/"];

    /// <summary>A handler for <see cref="FakeProvider"/>; <paramref name="scopesByToken"/> maps access tokens to granted scopes.</summary>
    public static Func<RecordedRequest, FakeResponse> Handler(IReadOnlyDictionary<string, string[]> scopesByToken) => request =>
    {
        var token = request.Header("Authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        if (token is null || !scopesByToken.TryGetValue(token, out var scopes))
        {
            return request.Path == "/tokeninfo"
                ? FakeResponse.Json(400, new { error = "invalid_token", error_description = "Invalid Value" })
                : FakeResponse.Json(401, new { error = new { code = 401, message = "Request had invalid authentication credentials.", status = "UNAUTHENTICATED" } });
        }

        return (request.Method, request.Path) switch
        {
            ("POST", "/tokeninfo") => FakeResponse.Json(200, new
            {
                azp = "1234.apps.googleusercontent.com", aud = "1234.apps.googleusercontent.com", scope = string.Join(' ', scopes),
                exp = "1741947413", expires_in = "3599", access_type = "offline",
            }),
            ("GET", "/gmail/v1/users/me/profile") => Allowed(scopes, ReadScopes, new { emailAddress = "support@acme.example", messagesTotal = 10 }),
            ("POST", "/gmail/v1/users/me/messages/send") => Allowed(scopes, SendScopes, new { id = "18c6f0a1b2c3d4e5", threadId = "18c6f0a1b2c3d4e5", labelIds = new[] { "SENT" } }),
            _ => FakeResponse.Json(404, new { error = new { code = 404, message = "Not Found", status = "NOT_FOUND" } }),
        };
    };

    private static FakeResponse Allowed(string[] granted, string[] needed, object answer) => granted.Intersect(needed).Any()
        ? FakeResponse.Json(200, answer)
        : FakeResponse.Json(403, new
        {
            error = new
            {
                code = 403, message = "Request had insufficient authentication scopes.", status = "PERMISSION_DENIED",
                errors = new[] { new { message = "Insufficient Permission", domain = "global", reason = "insufficientPermissions" } },
            },
        });
}
