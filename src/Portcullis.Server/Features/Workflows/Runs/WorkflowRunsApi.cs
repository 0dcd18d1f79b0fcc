using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// Workflow runs, for the workflow's agent (its key) or a member: start (<c>POST /api/workflows/{id}/runs</c>), read and
/// long-poll (<c>GET /api/workflow-runs/{id}?waitSeconds=N</c>), cancel, list.
/// </summary>
public static class WorkflowRunsApi
{
    public static RouteGroupBuilder MapWorkflowRuns(this RouteGroupBuilder group)
    {
        group.MapPost("/workflows/{id}/runs", Start).RequireAgentKeyOrMember().WithBillingLock();
        group.MapGet("/workflows/{id}/runs", List).RequireAgentKeyOrMember();
        group.MapGet("/workflow-runs/{id}", Get).RequireAgentKeyOrMember();
        group.MapPost("/workflow-runs/{id}/cancel", Cancel).RequireAgentKeyOrMember();
        return group;
    }

    /// <summary>The caller's workspace, and the agent when an agent key asks (it sees only its own workflows).</summary>
    private static (string WorkspaceId, string? AgentId, string? MemberId) Caller(HttpContext http) =>
        http.FindAgent() is { } agent ? (agent.WorkspaceId, agent.AgentId, null) : (http.User.GetMember().WorkspaceId, null, http.User.GetMember().UserId);

    private static async Task<IResult> Start(HttpContext http, string id, StartWorkflowRun start, IOptions<LimitsOptions> limits)
    {
        var (workspaceId, agentId, memberId) = Caller(http);
        var (input, problem) = await WorkflowInputBody.ReadAsync(http, limits.Value);
        if (problem is not null)
        {
            return problem;
        }

        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 255)
        {
            return Problems.Validation("Idempotency-Key", "must be at most 255 characters");
        }

        var command = new StartWorkflowRunCommand(workspaceId, id, agentId, input!, memberId is null ? StartedBy.Api : StartedBy.Manual,
            key.Length == 0 ? null : key, memberId);
        return await start.ExecuteAsync(command, http.RequestAborted) switch
        {
            StartWorkflowRunResult.Started s => TypedResults.Json(new { workflowRunId = s.WorkflowRunId, runId = s.RunId, status = s.Status },
                statusCode: StatusCodes.Status202Accepted),
            _ => Problems.NotFound($"workflow `{id}`"),
        };
    }

    private static async Task<IResult> Get(HttpContext http, string id, string? waitSeconds, WorkflowRunQueries queries)
    {
        var (workspaceId, agentId, _) = Caller(http);
        var wait = 0;
        if (waitSeconds is not null && (!int.TryParse(waitSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out wait) || wait > WorkflowRunQueries.MaxWaitSeconds))
        {
            return Problems.Validation("waitSeconds", $"must be an integer between 0 and {WorkflowRunQueries.MaxWaitSeconds}");
        }

        try
        {
            var run = wait == 0
                ? await queries.GetAsync(workspaceId, id, agentId, http.RequestAborted)
                : await queries.WaitAsync(workspaceId, id, agentId, TimeSpan.FromSeconds(wait), http.RequestAborted);
            return run is null ? Problems.NotFound($"workflow run `{id}`") : TypedResults.Ok(run);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller hung up mid-wait: nobody is listening for an answer.
            return TypedResults.Empty;
        }
    }

    private static async Task<IResult> Cancel(HttpContext http, string id, CancelWorkflowRun cancel, WorkflowRunQueries queries)
    {
        var (workspaceId, agentId, memberId) = Caller(http);
        return await cancel.ExecuteAsync(workspaceId, id, agentId, memberId, http.RequestAborted) switch
        {
            CancelWorkflowRunResult.Cancelled => TypedResults.Ok(await queries.GetAsync(workspaceId, id, agentId, http.RequestAborted)),
            CancelWorkflowRunResult.NotCancellable n => Problems.Conflict($"workflow run `{id}` has already ended with status `{n.Status}`",
                WorkflowErrorCodes.NotCancellable),
            _ => Problems.NotFound($"workflow run `{id}`"),
        };
    }

    private static async Task<IResult> List(HttpContext http, string id, string? limit, string? cursor, WorkflowStore store, WorkflowRunQueries queries)
    {
        var (workspaceId, agentId, _) = Caller(http);
        var workflow = await store.FindAsync(workspaceId, id, http.RequestAborted);
        if (workflow is null || (agentId is not null && workflow.AgentId != agentId))
        {
            return Problems.NotFound($"workflow `{id}`");
        }

        var take = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 200))
        {
            return Problems.Validation("limit", "must be an integer between 1 and 200");
        }

        // The cursor is the last run of the previous page: newest first, so the next page is what started before it.
        var page = await queries.ListAsync(workspaceId, id, agentId, take, cursor, http.RequestAborted);
        return TypedResults.Ok(new { data = page, nextCursor = page.Count == take ? page[^1].Id : null });
    }
}
