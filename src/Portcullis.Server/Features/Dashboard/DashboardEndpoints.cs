using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Live;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Dashboard.Workflows;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard;

/// <summary>
/// The endpoints the dashboard's scripts call, under <c>/dashboard</c>: live streams, and the policy
/// check and simulation and the Connect dialog's draft verification, which run the API's own handlers behind the session cookie and an antiforgery header.
/// </summary>
public static class DashboardEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/assets/{name}", Assets.Serve).AllowAnonymous().ExcludeFromDescription();

        var scripts = app.MapGroup(DashboardPaths.Background).RequireAuthorization(DashboardPolicies.Viewer).ExcludeFromDescription();
        scripts.MapGet("/runs/{id}/live", RunStream.Handle);
        scripts.MapGet("/approvals/live", ApprovalStream.Handle);
        scripts.MapWorkflowScripts();
        // The OAuth popup carries the session cookie, not a bearer token: the same start, behind the dashboard's session.
        app.MapGet($"{DashboardPaths.Background}/oauth/start", Credentials.OAuthApi.StartRedirect)
            .RequireAuthorization(DashboardPolicies.Admin).ExcludeFromDescription();
        scripts.MapPost("/policies/check", async (HttpContext http, IAntiforgery antiforgery, IOptions<LimitsOptions> limits) =>
            await antiforgery.IsRequestValidAsync(http) ? (await PoliciesApi.Check(http, limits)).Result : FormExpired());
        scripts.MapPost("/policies/simulate", async (HttpContext http, IAntiforgery antiforgery, Database database, PolicyStore store,
            VelocityReader velocity, IOptions<LimitsOptions> limits, TimeProvider time, Workspaces.WorkspaceStore workspaces) =>
            await antiforgery.IsRequestValidAsync(http) ? await PolicySimulation.Handle(http, database, store, velocity, limits, time, workspaces) : FormExpired());
        // The Connect dialog's Verify Connection: the API's draft verification, for admins, behind the session and antiforgery header.
        scripts.MapPost("/credentials/verify", async (HttpContext http, IAntiforgery antiforgery, Credentials.VerifyDraftCredential verify, IOptions<LimitsOptions> limits) =>
            await antiforgery.IsRequestValidAsync(http) ? (await Credentials.CredentialsApi.VerifyDraft(http, verify, limits)).Result : FormExpired())
            .RequireAuthorization(DashboardPolicies.Admin);
    }

    // A script call without a valid antiforgery header is refused before any handler runs.
    internal static IResult FormExpired() =>
        Problems.Create(400, "antiforgery_failed", "Form expired", "the page's security token is missing or out of date; reload the page");
}
