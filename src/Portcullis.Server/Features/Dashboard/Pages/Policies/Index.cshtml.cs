using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.Policies;

/// <summary>Policies, most important first, with enable/disable (a new version through the <see cref="UpdatePolicy"/> use case).</summary>
public sealed class IndexModel(PolicyStore store, UpdatePolicy updatePolicy) : DashboardPage
{
    public IReadOnlyList<PolicyDto> Policies { get; private set; } = [];

    public async Task OnGetAsync() => Policies = (await store.ListAsync(Member.WorkspaceId, Aborted)).Select(r => r.ToDto()).ToList();

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostToggleAsync(string id, bool enabled)
    {
        var changes = new PolicyInput(null, null, null, null, null, null, enabled, null, null);
        var result = await updatePolicy.ExecuteAsync(new UpdatePolicyCommand(Member, id, changes), null, Aborted);
        if (result is SavePolicyResult.Saved { Policy: var saved })
        {
            Flash($"{saved.Name} is now {(saved.Enabled ? "enabled" : "disabled")} (version {saved.Version}).");
            return LocalRedirect("/policies");
        }

        Fail(EditModel.ProblemOf(result));
        await OnGetAsync();
        return Page();
    }
}
