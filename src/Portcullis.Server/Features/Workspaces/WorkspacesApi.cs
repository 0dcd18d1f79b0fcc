using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Auth;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>The caller's workspaces: <c>/api/workspaces…</c> (the current one is <c>/api/workspace</c>).</summary>
public static class WorkspacesApi
{
    public sealed record CreateWorkspaceRequest(string Name);

    public static RouteGroupBuilder MapWorkspaces(this RouteGroupBuilder group)
    {
        group.MapGet("/workspaces", List).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/workspaces", Create).RequireAuthorization(RolePolicies.Viewer).Accepts<CreateWorkspaceRequest>("application/json");
        group.MapPost("/workspaces/{id}/switch", Switch).RequireAuthorization(RolePolicies.Viewer);
        return group;
    }

    public static async Task<Ok<IReadOnlyList<WorkspaceSummaryDto>>> List(HttpContext http, WorkspaceQueries workspaces) =>
        TypedResults.Ok(await workspaces.ListMineAsync(http.User.GetMember(), http.RequestAborted));

    public static async Task<Results<Created<WorkspaceSummaryDto>, ProblemHttpResult>> Create(
        HttpContext http, CreateWorkspace create, IOptions<LimitsOptions> limits)
    {
        return await JsonBody.ThenAsync<Created<WorkspaceSummaryDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var f = new JsonFields(body, new FieldErrors());
            return await create.ExecuteAsync(new CreateWorkspaceCommand(http.User.GetMember(), f.Text("name")), f.Errors, http.RequestAborted) switch
            {
                CreateWorkspaceResult.Created created => TypedResults.Created($"/api/workspaces/{created.Workspace.Id}", created.Workspace),
                CreateWorkspaceResult.Invalid invalid => Problems.Validation(invalid.Errors),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });
    }

    /// <summary>A session in another of the caller's workspaces (the calling session, if it is one, ends).</summary>
    public static async Task<Results<Ok<AuthApi.LoginResponse>, ProblemHttpResult>> Switch(HttpContext http, SwitchWorkspace switcher, string id)
    {
        var member = http.User.GetMember();
        return await switcher.ExecuteAsync(new SwitchWorkspaceCommand(member, id), http.RequestAborted) switch
        {
            SwitchWorkspaceResult.Switched s => TypedResults.Ok(new AuthApi.LoginResponse(s.Token, Times.ToIso(s.ExpiresAt), member.UserId, member.Email, s.WorkspaceId, s.Role)),
            SwitchWorkspaceResult.NotFound missing => Problems.NotFound($"workspace `{missing.WorkspaceId}`"),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
    }
}
