using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Policies;

/// <summary>Policies, most important first, with enable/disable (a new version through the API's update use case).</summary>
public sealed class IndexModel(Database database, PolicyStore store, AuditTrail audit, TimeProvider time) : DashboardPage
{
    public IReadOnlyList<PolicyDto> Policies { get; private set; } = [];

    public async Task OnGetAsync() => Policies = (await PoliciesApi.List(HttpContext, store)).Value!;

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostToggleAsync(string id, bool enabled)
    {
        var body = new FormJson().Boolean("enabled", enabled).ToElement();
        var result = (await PoliciesApi.UpdateAsync(Member, id, body, database, audit, time, Aborted)).Result;
        if (ApiResults.Value<PolicyDto>(result) is { } saved)
        {
            Flash($"{saved.Name} is now {(saved.Enabled ? "enabled" : "disabled")} (version {saved.Version}).");
            return LocalRedirect("/policies");
        }

        Fail(ApiResults.Problem(result)!);
        await OnGetAsync();
        return Page();
    }
}
