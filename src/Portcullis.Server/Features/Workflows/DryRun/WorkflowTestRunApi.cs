using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows.DryRun;

/// <summary><c>POST /api/workflows/{id}/test-run</c> <c>{input}</c>: a dry run of the current version (viewer and up); nothing is written.</summary>
public static class WorkflowTestRunApi
{
    public static async Task<IResult> Handle(HttpContext http, string id, WorkflowTestRun testRun, IOptions<LimitsOptions> limits)
    {
        var input = "{}";
        if (http.Request.ContentLength is not 0)
        {
            var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
            if (read.Problem is not null)
            {
                return read.Problem;
            }

            using var body = read.Document!;
            var fields = new JsonFields(body.RootElement, new FieldErrors());
            if (fields.ObjectWithText("input", maxBytes: limits.Value.MaxPayloadBytes) is { } given)
            {
                input = given.Text;
            }

            if (fields.Errors.Any)
            {
                return Problems.Validation(fields.Errors);
            }
        }

        return await testRun.ExecuteAsync(new TestRunCommand(http.User.GetMember(), id, input), http.RequestAborted) switch
        {
            TestRunResult.Ran ran => TypedResults.Ok(ran.Response),
            TestRunResult.NotFound missing => Problems.NotFound(missing.What),
            var other => throw new InvalidOperationException($"unhandled {other}"),
        };
    }
}
