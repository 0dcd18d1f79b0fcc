using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Approvals.Edits;

/// <summary>The optional body of a decision: <c>{ comment?, payload? }</c>; a payload (an edit) only with an approval.</summary>
public sealed record ApproveBody(string? Comment, JsonElement? Payload)
{
    public static async Task<(ApproveBody Body, ProblemHttpResult? Problem)> ReadAsync(HttpContext http, LimitsOptions limits, bool approve)
    {
        // A bare POST (no body, or an empty one without a content type) carries nothing to read.
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && string.IsNullOrEmpty(http.Request.ContentType)))
        {
            return (new(null, null), null);
        }

        var read = await JsonBody.ReadAsync(http.Request, limits.MaxBodyBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return (new(null, null), read.Problem);
        }

        using var document = read.Document!;
        var fields = new JsonFields(document.RootElement, new FieldErrors());
        var comment = fields.String("comment", maxLength: DecideApproval.MaxCommentLength);
        var payload = fields.ObjectWithText("payload", maxBytes: limits.MaxPayloadBytes)?.Element.Clone();
        if (payload is not null && !approve)
        {
            fields.Errors.Add("payload", "only an approval can carry an edited payload; a rejection sends nothing");
        }

        return fields.Errors.Any ? (new(null, null), Problems.Validation(fields.Errors)) : (new(comment, payload), null);
    }
}
