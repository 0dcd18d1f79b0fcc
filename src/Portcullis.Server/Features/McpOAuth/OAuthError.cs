using System.Text.Json.Serialization;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>
/// An OAuth error answer (RFC 6749 §5.2, RFC 7591 §3.2.2). OAuth clients parse <c>error</c>, not problem details, so the
/// authorization server's endpoints answer in this shape; <c>error</c> is the stable code.
/// </summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidTarget = "invalid_target";
    public const string InvalidScope = "invalid_scope";
    public const string InvalidClientMetadata = "invalid_client_metadata";
    public const string InvalidRedirectUri = "invalid_redirect_uri";
    public const string AccessDenied = "access_denied";
    public const string UnsupportedResponseType = "unsupported_response_type";

    public IResult ToResult(int status = StatusCodes.Status400BadRequest) => new Answer(this, status);

    // RFC 6749 §5.1: token endpoint answers, errors included, are never cached.
    private sealed class Answer(OAuthError error, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Pragma = "no-cache";
            return TypedResults.Json(error, statusCode: status).ExecuteAsync(http);
        }
    }
}
