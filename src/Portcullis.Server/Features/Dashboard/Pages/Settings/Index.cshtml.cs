using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Settings;

/// <summary>
/// Workspace settings (default decision, connector mode, approval expiry, self-approval), billing (owner only)
/// and members: the API's settings and members use cases behind forms.
/// </summary>
public sealed class IndexModel(Database database, WorkspaceStore workspaces, Membership membership, AuditTrail audit, TimeProvider time) : DashboardPage
{
    public WorkspaceDto Workspace { get; private set; } = null!;

    public IReadOnlyList<MemberDto> Members { get; private set; } = [];

    /// <summary>Which form failed, so its errors show beside it.</summary>
    public string? FailedForm { get; private set; }

    public async Task OnGetAsync()
    {
        Workspace = ApiResults.Value<WorkspaceDto>((await WorkspaceApi.Get(HttpContext, workspaces, time)).Result)
            ?? throw new InvalidOperationException("the signed-in member's workspace is missing");
        Members = (await MembersApi.List(HttpContext, database)).Value!;
    }

    [RequiresRole(Role.Admin)]
    public Task<IActionResult> OnPostSettingsAsync(string? defaultDecision, string? connectorMode, string? approvalExpirySeconds, bool forbidSelfApproval) =>
        PatchAsync("settings", new FormJson()
            .Text("defaultDecision", defaultDecision, required: true)
            .Text("connectorMode", connectorMode, required: true)
            .Integer("approvalExpirySeconds", approvalExpirySeconds)
            .Boolean("forbidSelfApproval", forbidSelfApproval), "Settings saved.");

    [RequiresRole(Role.Owner)]
    public Task<IActionResult> OnPostBillingAsync(string? state) =>
        PatchAsync("billing", new FormJson().Object("billing", new FormJson().Text("state", state, required: true)), "Billing state saved.");

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostAddMemberAsync(string? email, string? name, string? password, string? role)
    {
        var body = new FormJson().Text("email", email, required: true).Text("name", name, required: true).Secret("password", password)
            .Text("role", role, required: true).ToElement();
        var result = (await MembersApi.AddAsync(Member, body, database, membership, audit, time, Aborted)).Result;
        return await DoneAsync("members", ApiResults.Problem(result), $"Added {email?.Trim()} as {role}.");
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostChangeRoleAsync(string userId, string? role)
    {
        var body = new FormJson().Text("role", role, required: true).ToElement();
        var result = (await MembersApi.ChangeRoleAsync(Member, userId, body, database, audit, Aborted)).Result;
        return await DoneAsync("members", ApiResults.Problem(result), $"Role changed to {role}.");
    }

    private async Task<IActionResult> PatchAsync(string form, FormJson body, string message)
    {
        var result = (await WorkspaceApi.PatchSettingsAsync(Member, body.ToElement(), database, audit, time, Aborted)).Result;
        return await DoneAsync(form, ApiResults.Problem(result), message);
    }

    private async Task<IActionResult> DoneAsync(string form, FormProblem? problem, string message)
    {
        if (problem is null)
        {
            Flash(message);
            return LocalRedirect("/settings");
        }

        FailedForm = form;
        Fail(problem);
        await OnGetAsync();
        return Page();
    }
}
