using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Audit;
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

    public static async Task<Results<Ok<WorkspaceDto>, ProblemHttpResult>> Get(HttpContext http, WorkspaceStore store, TimeProvider time)
    {
        var member = http.User.GetMember();
        var ws = await store.FindAsync(member.WorkspaceId, http.RequestAborted);
        return ws is null
            ? Problems.NotFound("workspace")
            : TypedResults.Ok(new WorkspaceDto(ws.Id, ws.Name, Times.ToIso(ws.CreatedAt), member.Role.ToWire(), ws.ToSettings(time.Now())));
    }

    public static async Task<Results<Ok<SettingsDto>, ProblemHttpResult>> PatchSettings(
        HttpContext http, Database database, AuditTrail audit, IOptions<LimitsOptions> limits, TimeProvider time)
    {
        return await JsonBody.ThenAsync(http, limits.Value.MaxBodyBytes, body => PatchSettingsAsync(http.User.GetMember(), body, database, audit, time, http.RequestAborted));
    }

    /// <summary>Changing settings from a parsed body: the one path behind the API and the dashboard.</summary>
    public static async Task<Results<Ok<SettingsDto>, ProblemHttpResult>> PatchSettingsAsync(
        Member member, JsonElement body, Database database, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        var fields = new JsonFields(body, new FieldErrors());
        var patch = SettingsPatch.Read(fields).WithBillingDefaults(time.Now());
        if (fields.Errors.Any)
        {
            return Problems.Validation(fields.Errors);
        }

        // Billing is the owner's business alone.
        if (patch.TouchesBilling && member.Role < Role.Owner)
        {
            return Problems.Forbidden("only an owner can change billing");
        }

        var updated = await database.WriteAsync(async (c, t) =>
        {
            await patch.ApplyAsync(c, t, member.WorkspaceId);
            await audit.AppendAsync(c, t, member.WorkspaceId, Actor.User(member.UserId), "settings.updated", "workspace", member.WorkspaceId, patch);
            return await WorkspaceStore.FindAsync(c, member.WorkspaceId, t);
        }, ct);

        return TypedResults.Ok(updated!.ToSettings(time.Now()));
    }
}
