using Microsoft.AspNetCore.Http.HttpResults;

namespace Portcullis.Server.Infrastructure.Http;

/// <summary>A body that may be left out entirely, or be an object with one optional text field (<c>{comment}</c>, <c>{reason}</c>).</summary>
public static class OptionalBody
{
    /// <summary>The field's text (null when the body or the field is absent), or the problem with the body.</summary>
    public static async Task<(string? Text, ProblemHttpResult? Problem)> ReadTextAsync(HttpContext http, long maxBytes, string field, int maxLength)
    {
        // A bare POST (no body, or an empty one without a content type) carries nothing to read.
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && string.IsNullOrEmpty(http.Request.ContentType)))
        {
            return (null, null);
        }

        var read = await JsonBody.ReadAsync(http.Request, maxBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return (null, read.Problem);
        }

        using var body = read.Document!;
        var fields = new JsonFields(body.RootElement, new FieldErrors());
        var text = fields.String(field, maxLength: maxLength);
        return fields.Errors.Any ? (null, Problems.Validation(fields.Errors)) : (text, null);
    }
}
