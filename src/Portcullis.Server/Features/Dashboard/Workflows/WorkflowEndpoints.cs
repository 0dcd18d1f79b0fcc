using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workflows;
using Portcullis.Server.Features.Workflows.DryRun;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Dashboard.Workflows;

/// <summary>
/// What the workflow editor's and run page's scripts call, under <c>/dashboard</c> behind the session cookie and the
/// antiforgery header: the API's own handlers (check, save through <see cref="SaveWorkflow"/>, dry run), and the run's
/// steps rendered for the page's poll.
/// </summary>
public static class WorkflowEndpoints
{
    public static void MapWorkflowScripts(this RouteGroupBuilder scripts)
    {
        scripts.MapPost("/agents/{agentId}/workflows/check", (HttpContext http, string agentId, IAntiforgery antiforgery, WorkflowStore store,
            IOptions<LimitsOptions> limits) => Guarded(http, antiforgery, () => WorkflowCheck.Handle(http, agentId, store, limits)));
        scripts.MapPost("/agents/{agentId}/workflows", (HttpContext http, string agentId, IAntiforgery antiforgery, SaveWorkflow save,
            IOptions<LimitsOptions> limits) => Guarded(http, antiforgery, () => WorkflowsApi.Create(http, agentId, save, limits)))
            .RequireAuthorization(DashboardPolicies.Admin);
        scripts.MapPost("/workflows/{id}", (HttpContext http, string id, IAntiforgery antiforgery, SaveWorkflow save, IOptions<LimitsOptions> limits) =>
            Guarded(http, antiforgery, () => WorkflowsApi.Update(http, id, save, limits))).RequireAuthorization(DashboardPolicies.Admin);
        scripts.MapPost("/workflows/{id}/test-run", (HttpContext http, string id, IAntiforgery antiforgery, WorkflowTestRun testRun,
            IOptions<LimitsOptions> limits) => Guarded(http, antiforgery, () => WorkflowTestRunApi.Handle(http, id, testRun, limits)));
        scripts.MapGet("/workflow-runs/{id}/steps", Steps);
    }

    /// <summary>The run's status and its steps' rows; <c>open</c> false tells the page to stop asking.</summary>
    private static async Task<IResult> Steps(HttpContext http, string id, WorkflowRunQueries queries) =>
        await queries.GetAsync(http.User.GetMember().WorkspaceId, id, null, http.RequestAborted) is { } run
            ? TypedResults.Ok(new
            {
                status = run.Status,
                label = Fmt.Label(run.Status),
                css = Fmt.Badge(run.Status),
                open = WorkflowRunStatus.IsOpen(run.Status),
                html = WorkflowRunHtml.Steps(run),
                error = run.Error,
                ended = run.CompletedAt is null ? null : Fmt.Time(run.CompletedAt)
            })
            : Problems.NotFound($"workflow run `{id}`");

    // A script call without a valid antiforgery header is refused before any handler runs.
    private static async Task<IResult> Guarded(HttpContext http, IAntiforgery antiforgery, Func<Task<IResult>> handler) =>
        await antiforgery.IsRequestValidAsync(http) ? await handler() : DashboardEndpoints.FormExpired();
}
