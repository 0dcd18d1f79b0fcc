using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// The optional body <c>{input}</c> of starting a run and of a dry run: <c>{}</c> without a body, else <c>input</c>'s JSON text
/// (an object, within the payload limit); a bad body is answered with its problem instead.
/// </summary>
public static class WorkflowInputBody
{
    public static async Task<(string? InputJson, IResult? Problem)> ReadAsync(HttpContext http, LimitsOptions limits)
    {
        if (http.Request.ContentLength is 0)
        {
            return ("{}", null);
        }

        var read = await JsonBody.ReadAsync(http.Request, limits.MaxBodyBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return (null, read.Problem);
        }

        using var body = read.Document!;
        var fields = new JsonFields(body.RootElement, new FieldErrors());
        var input = fields.ObjectWithText("input", maxBytes: limits.MaxPayloadBytes)?.Text ?? "{}";
        return fields.Errors.Any ? (null, Problems.Validation(fields.Errors)) : (input, null);
    }
}
