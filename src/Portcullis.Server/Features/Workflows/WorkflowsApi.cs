using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows;

/// <summary>Workflow definitions: <c>/api/agents/{agentId}/workflows</c> and <c>/api/workflows/{id}</c> (admin to change, viewer to read).</summary>
public static class WorkflowsApi
{
    public static RouteGroupBuilder MapWorkflows(this RouteGroupBuilder group)
    {
        group.MapPost("/agents/{agentId}/workflows", Create).RequireAuthorization(RolePolicies.Admin);
        group.MapGet("/agents/{agentId}/workflows", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapGet("/workflows/{id}", Get).RequireAuthorization(RolePolicies.Viewer);
        group.MapPut("/workflows/{id}", Update).RequireAuthorization(RolePolicies.Admin);
        group.MapDelete("/workflows/{id}", Delete).RequireAuthorization(RolePolicies.Admin);
        group.MapGet("/workflows/{id}/versions", Versions).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/agents/{agentId}/workflows/check", WorkflowCheck.Handle).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/workflows/{id}/test-run", DryRun.WorkflowTestRunApi.Handle).RequireAuthorization(RolePolicies.Viewer);
        return group.MapWorkflowRuns();
    }

    public static Task<IResult> Create(HttpContext http, string agentId, SaveWorkflow save, IOptions<LimitsOptions> limits) =>
        SaveAsync(http, save, limits.Value, agentId, null);

    public static Task<IResult> Update(HttpContext http, string id, SaveWorkflow save, IOptions<LimitsOptions> limits) =>
        SaveAsync(http, save, limits.Value, null, id);

    private static async Task<IResult> SaveAsync(HttpContext http, SaveWorkflow save, LimitsOptions limits, string? agentId, string? workflowId)
    {
        var read = await JsonBody.ReadAsync(http.Request, limits.MaxBodyBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var body = read.Document!;
        var result = await save.ExecuteAsync(new SaveWorkflowCommand(http.User.GetMember(), agentId, workflowId, body.RootElement), http.RequestAborted);
        return result switch
        {
            SaveWorkflowResult.Saved { Created: true } s => TypedResults.Created($"/api/workflows/{s.Workflow.Id}", Absolute(http, s.Workflow)),
            SaveWorkflowResult.Saved s => TypedResults.Ok(Absolute(http, s.Workflow)),
            SaveWorkflowResult.Invalid i => Problems.Validation(i.Errors),
            SaveWorkflowResult.InvalidDefinition d => WorkflowProblems.Invalid(d.Diagnostics),
            SaveWorkflowResult.NotFound n => Problems.NotFound(n.What),
            _ => throw new InvalidOperationException($"unhandled {result}"),
        };
    }

    /// <summary>A webhook URL shown once, made absolute against the address the caller used.</summary>
    private static WorkflowDto Absolute(HttpContext http, WorkflowDto workflow) =>
        workflow.Trigger.Url is { } path ? workflow with { Trigger = workflow.Trigger with { Url = $"{http.Request.Scheme}://{http.Request.Host}{path}" } } : workflow;

    private static async Task<IResult> List(HttpContext http, string agentId, WorkflowStore store)
    {
        var workspaceId = http.User.GetMember().WorkspaceId;
        if (!await store.AgentExistsAsync(workspaceId, agentId, http.RequestAborted))
        {
            return Problems.NotFound($"agent `{agentId}`");
        }

        var rows = await store.ListByAgentAsync(workspaceId, agentId, http.RequestAborted);
        return TypedResults.Ok(new { data = rows.Select(r => r.ToDto()).ToList() });
    }

    private static async Task<IResult> Get(HttpContext http, string id, WorkflowStore store) =>
        await store.FindAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } row
            ? TypedResults.Ok(row.ToDto())
            : Problems.NotFound($"workflow `{id}`");

    private static async Task<IResult> Versions(HttpContext http, string id, WorkflowStore store) =>
        await store.FindAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } row
            ? TypedResults.Ok(new { data = await store.VersionsAsync(row.Id, http.RequestAborted) })
            : Problems.NotFound($"workflow `{id}`");

    private static async Task<IResult> Delete(HttpContext http, string id, DeleteWorkflow delete) =>
        await delete.ExecuteAsync(http.User.GetMember(), id, http.RequestAborted)
            ? TypedResults.NoContent()
            : Problems.NotFound($"workflow `{id}`");
}
