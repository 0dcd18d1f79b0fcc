using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Features.Policies.Shadow;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Dashboard.Pages.Policies;

/// <summary>
/// Policies, most important first, with enable/disable and, for a shadow policy, how many requests it would have changed in
/// the last week and a one-click promotion to enforce (each a new version through the <see cref="UpdatePolicy"/> use case).
/// </summary>
public sealed class IndexModel(PolicyStore store, UpdatePolicy updatePolicy, ShadowQueries shadow, TimeProvider time) : DashboardPage
{
    public IReadOnlyList<PolicyDto> Policies { get; private set; } = [];

    /// <summary>Requests each shadow policy would have changed in the last 7 days (absent: none).</summary>
    public IReadOnlyDictionary<string, long> ShadowChanges { get; private set; } = new Dictionary<string, long>();

    public async Task OnGetAsync()
    {
        Policies = (await store.ListAsync(Member.WorkspaceId, Aborted)).Select(r => r.ToDto()).ToList();
        ShadowChanges = Policies.Any(p => p.Mode == PolicyModes.Shadow)
            ? await shadow.ChangedCountsAsync(Member.WorkspaceId, time.Now() - (long)TimeSpan.FromDays(7).TotalMilliseconds, Aborted)
            : new Dictionary<string, long>();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostPromoteAsync(string id)
    {
        var changes = new PolicyInput(null, null, null, null, null, null, null, null, null, PolicyModes.Enforce);
        var result = await updatePolicy.ExecuteAsync(new UpdatePolicyCommand(Member, id, changes), null, Aborted);
        if (result is SavePolicyResult.Saved { Policy: var saved })
        {
            Flash($"{saved.Name} is now enforced (version {saved.Version}).");
            return LocalRedirect("/policies");
        }

        Fail(EditModel.ProblemOf(result));
        await OnGetAsync();
        return Page();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostToggleAsync(string id, bool enabled)
    {
        var changes = new PolicyInput(null, null, null, null, null, null, enabled, null, null);
        var result = await updatePolicy.ExecuteAsync(new UpdatePolicyCommand(Member, id, changes), null, Aborted);
        if (result is SavePolicyResult.Saved { Policy: var saved })
        {
            // A disabled policy no longer guards anything: that is worth the warning style.
            if (saved.Enabled)
            {
                Flash($"{saved.Name} is now enabled (version {saved.Version}).");
            }
            else
            {
                FlashWarning($"{saved.Name} is now disabled (version {saved.Version}); it decides nothing until enabled again.");
            }
            return LocalRedirect("/policies");
        }

        Fail(EditModel.ProblemOf(result));
        await OnGetAsync();
        return Page();
    }
}
