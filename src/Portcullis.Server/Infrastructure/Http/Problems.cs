using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Portcullis.Server.Infrastructure.Http;

/// <summary>
/// Builds RFC 9457 problem details with a stable <c>code</c>. Every error answer of the API goes
/// through here so the shape never drifts.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://portcullis.dev/problems/{code}",
            Title = title,
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(FieldErrors errors) =>
        Create(400, ErrorCodes.ValidationFailed, "Validation failed", errors.Summary,
            new Dictionary<string, object?> { ["errors"] = errors.ToDictionary() });

    public static ProblemHttpResult Validation(string field, string message) => Validation(new FieldErrors().Add(field, message));

    /// <summary>A supplied URL the outbound guard refuses (internal address, plain http, user info…): 400 <c>url_not_allowed</c>, the field named.</summary>
    public static ProblemHttpResult UrlNotAllowed(string field, string reason) =>
        Create(400, ErrorCodes.UrlNotAllowed, "URL not allowed", $"`{field}` {reason}",
            new Dictionary<string, object?> { ["errors"] = new FieldErrors().Add(field, reason).ToDictionary() });

    public static ProblemHttpResult MalformedJson(string detail) =>
        Create(400, ErrorCodes.MalformedJson, "Malformed JSON", detail);

    // INVARIANT: one body for every authentication failure (missing, malformed, unknown, revoked,
    // expired), so an attacker learns nothing about which it was.
    public static ProblemHttpResult Unauthorized() =>
        Create(401, ErrorCodes.Unauthorized, "Unauthorized", "a valid API key or token is required");

    public static ProblemHttpResult Forbidden(string detail) => Create(403, ErrorCodes.Forbidden, "Forbidden", detail);

    public static ProblemHttpResult NotFound(string what) => Create(404, ErrorCodes.NotFound, "Not found", NotFoundDetail(what));

    public static string NotFoundDetail(string what) => $"{what} was not found";

    public static ProblemHttpResult Conflict(string detail, string code = ErrorCodes.Conflict) => Create(409, code, "Conflict", detail);

    public static ProblemHttpResult PayloadTooLarge(string detail) => Create(413, ErrorCodes.PayloadTooLarge, "Payload too large", detail);
}
