using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary><c>GET /api/workspace</c> and <c>PATCH /api/workspace/settings</c>.</summary>
public static class WorkspaceApi
{
    public static RouteGroupBuilder MapWorkspace(this RouteGroupBuilder group)
    {
        group.MapGet("/workspace", Get).RequireAuthorization(RolePolicies.Viewer);
        group.MapPatch("/workspace/settings", PatchSettings).RequireAuthorization(RolePolicies.Admin).Accepts<SettingsDto>("application/json");
        return group;
    }

    public static async Task<Results<Ok<WorkspaceDto>, ProblemHttpResult>> Get(HttpContext http, WorkspaceQueries workspaces) =>
        await workspaces.GetAsync(http.User.GetMember(), http.RequestAborted) is { } ws ? TypedResults.Ok(ws) : Problems.NotFound("workspace");

    public static async Task<Results<Ok<SettingsDto>, ProblemHttpResult>> PatchSettings(
        HttpContext http, UpdateSettings updateSettings, IOptions<LimitsOptions> limits)
    {
        return await JsonBody.ThenAsync<Ok<SettingsDto>>(http, limits.Value.MaxBodyBytes, async body =>
        {
            var fields = new JsonFields(body, new FieldErrors());
            var command = new UpdateSettingsCommand(http.User.GetMember(), SettingsPatch.Read(fields));
            return await updateSettings.ExecuteAsync(command, fields.Errors, http.RequestAborted) switch
            {
                UpdateSettingsResult.Updated updated => TypedResults.Ok(updated.Settings),
                UpdateSettingsResult.Invalid invalid => Problems.Validation(invalid.Errors),
                UpdateSettingsResult.Forbidden forbidden => Problems.Forbidden(forbidden.Detail),
                var other => throw new UnreachableException($"unexpected {other}"),
            };
        });
    }
}
