using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Freeze;

/// <summary>
/// The kill switch (admin): <c>POST /api/agents/{id}/freeze {reason?}</c>, <c>…/unfreeze</c>, <c>POST /api/workspace/freeze {reason?}</c>
/// and <c>/api/workspace/unfreeze</c>. Each answers the agent (or workspace) as it now stands, with its <c>frozen</c> member.
/// </summary>
public static class FreezeApi
{
    public sealed record FreezeRequest(string? Reason);

    public static RouteGroupBuilder MapFreeze(this RouteGroupBuilder group)
    {
        group.MapPost("/agents/{id}/freeze", FreezeAgent).RequireAuthorization(RolePolicies.Admin).Accepts<FreezeRequest>("application/json");
        group.MapPost("/agents/{id}/unfreeze", UnfreezeAgent).RequireAuthorization(RolePolicies.Admin);
        group.MapPost("/workspace/freeze", FreezeWorkspace).RequireAuthorization(RolePolicies.Admin).Accepts<FreezeRequest>("application/json");
        group.MapPost("/workspace/unfreeze", UnfreezeWorkspace).RequireAuthorization(RolePolicies.Admin);
        return group;
    }

    public static async Task<Results<Ok<AgentDto>, ProblemHttpResult>> FreezeAgent(
        HttpContext http, FreezeSwitch freeze, AgentQueries agents, IOptions<LimitsOptions> limits, string id)
    {
        var (reason, problem) = await OptionalBody.ReadTextAsync(http, limits.Value.MaxBodyBytes, "reason", FreezeSwitch.MaxReasonLength);
        return problem ?? await SetAgentAsync(http, freeze, agents, id, true, reason);
    }

    public static Task<Results<Ok<AgentDto>, ProblemHttpResult>> UnfreezeAgent(HttpContext http, FreezeSwitch freeze, AgentQueries agents, string id) =>
        SetAgentAsync(http, freeze, agents, id, false, null);

    public static async Task<Results<Ok<WorkspaceDto>, ProblemHttpResult>> FreezeWorkspace(
        HttpContext http, FreezeSwitch freeze, WorkspaceQueries workspaces, IOptions<LimitsOptions> limits)
    {
        var (reason, problem) = await OptionalBody.ReadTextAsync(http, limits.Value.MaxBodyBytes, "reason", FreezeSwitch.MaxReasonLength);
        return problem ?? await SetWorkspaceAsync(http, freeze, workspaces, true, reason);
    }

    public static Task<Results<Ok<WorkspaceDto>, ProblemHttpResult>> UnfreezeWorkspace(HttpContext http, FreezeSwitch freeze, WorkspaceQueries workspaces) =>
        SetWorkspaceAsync(http, freeze, workspaces, false, null);

    private static async Task<Results<Ok<AgentDto>, ProblemHttpResult>> SetAgentAsync(
        HttpContext http, FreezeSwitch freeze, AgentQueries agents, string id, bool frozen, string? reason)
    {
        var member = http.User.GetMember();
        var found = await freeze.SetAsync(member.WorkspaceId, FreezeScope.Agent, id, Actor.User(member.UserId), frozen, reason, CancellationToken.None);
        return found && await agents.GetAsync(member.WorkspaceId, id, http.RequestAborted) is { } agent
            ? TypedResults.Ok(agent)
            : Problems.NotFound($"agent `{id}`");
    }

    private static async Task<Results<Ok<WorkspaceDto>, ProblemHttpResult>> SetWorkspaceAsync(
        HttpContext http, FreezeSwitch freeze, WorkspaceQueries workspaces, bool frozen, string? reason)
    {
        var member = http.User.GetMember();
        var found = await freeze.SetAsync(member.WorkspaceId, FreezeScope.Workspace, member.WorkspaceId, Actor.User(member.UserId), frozen, reason,
            CancellationToken.None);
        return found && await workspaces.GetAsync(member, http.RequestAborted) is { } ws ? TypedResults.Ok(ws) : Problems.NotFound("workspace");
    }
}
