using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows.DryRun;

/// <summary><c>POST /api/workflows/{id}/test-run</c> <c>{input}</c>: a dry run of the current version (viewer and up); nothing is written.</summary>
public static class WorkflowTestRunApi
{
    public static async Task<IResult> Handle(HttpContext http, string id, WorkflowTestRun testRun, IOptions<LimitsOptions> limits)
    {
        var (input, problem) = await WorkflowInputBody.ReadAsync(http, limits.Value);
        if (problem is not null)
        {
            return problem;
        }

        return await testRun.ExecuteAsync(new TestRunCommand(http.User.GetMember(), id, input!), http.RequestAborted) switch
        {
            TestRunResult.Ran ran => TypedResults.Ok(ran.Response),
            TestRunResult.NotFound missing => Problems.NotFound(missing.What),
            var other => throw new InvalidOperationException($"unhandled {other}"),
        };
    }
}
