using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Approvals.Groups;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Dashboard.Pages.Settings;

/// <summary>
/// Workspace settings (default decision, connector mode, approval expiry, self-approval), billing (owner only)
/// members (invited on the Invitations page), and the workspace's kill switch (freeze, unfreeze): the <see cref="UpdateSettings"/>, <see cref="RemoveMember"/> and <see cref="ChangeMemberRole"/> use cases behind forms.
/// </summary>
public sealed class IndexModel(WorkspaceQueries workspaces, UpdateSettings updateSettings,
    ChangeMemberRole changeRole, RemoveMember removeMember, FreezeSwitch freeze, ApproverGroupStore groups) : DashboardPage
{
    public WorkspaceDto Workspace { get; private set; } = null!;

    public IReadOnlyList<MemberDto> Members { get; private set; } = [];

    public IReadOnlyList<ApproverGroupDto> Groups { get; private set; } = [];

    /// <summary>Which form failed, so its errors show beside it.</summary>
    public string? FailedForm { get; private set; }

    public async Task OnGetAsync()
    {
        Workspace = await workspaces.GetAsync(Member, Aborted)
            ?? throw new InvalidOperationException("the signed-in member's workspace is missing");
        Members = await workspaces.ListMembersAsync(Member.WorkspaceId, Aborted);
        Groups = await groups.ListAsync(Member.WorkspaceId, Aborted);
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostCreateGroupAsync(string? groupName, string[]? userIds)
    {
        var name = FormFields.Text(groupName, required: true)?.Trim();
        var problem = name is not { Length: > 0 and <= 100 }
            ? FormProblem.Invalid(new FieldErrors().Add("groupName", "must be 1 to 100 characters"))
            : (await groups.CreateAsync(Member.WorkspaceId, Member.UserId, name, userIds ?? [], Aborted)).Change switch
            {
                ApproverGroupStore.Change.NameTaken => FormProblem.Refused(StatusCodes.Status409Conflict, $"an approver group named `{name}` already exists"),
                ApproverGroupStore.Change.NotMembers => FormProblem.Invalid(new FieldErrors().Add("userIds", "must list members of this workspace")),
                _ => null,
            };
        return await DoneAsync("groups", problem, $"Approver group {name} created.");
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostDeleteGroupAsync(string groupId)
    {
        var problem = await groups.DeleteAsync(Member.WorkspaceId, Member.UserId, groupId, Aborted) == ApproverGroupStore.Change.NotFound
            ? FormProblem.NotFound($"approver group `{groupId}`")
            : null;
        return await DoneAsync("groups", problem, "Approver group deleted.");
    }

    [RequiresRole(Role.Admin)]
    public Task<IActionResult> OnPostSettingsAsync(string? defaultDecision, string? connectorMode, string? approvalExpirySeconds, bool forbidSelfApproval)
    {
        var unread = new FieldErrors();
        var patch = new SettingsPatch
        {
            DefaultDecision = FormFields.Text(defaultDecision, required: true),
            ConnectorMode = FormFields.Text(connectorMode, required: true),
            ApprovalExpirySeconds = FormFields.Integer("approvalExpirySeconds", approvalExpirySeconds, unread),
            ForbidSelfApproval = forbidSelfApproval,
        };
        return PatchAsync("settings", patch, unread, "Settings saved.");
    }

    [RequiresRole(Role.Owner)]
    public Task<IActionResult> OnPostBillingAsync(string? state) =>
        PatchAsync("billing", new SettingsPatch { BillingState = FormFields.Text(state, required: true) }, null, "Billing state saved.");

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostChangeRoleAsync(string userId, string? role)
    {
        var problem = await changeRole.ExecuteAsync(new ChangeMemberRoleCommand(Member, userId, FormFields.Text(role, required: true)), null, Aborted) switch
        {
            ChangeMemberRoleResult.Changed => null,
            ChangeMemberRoleResult.Invalid invalid => FormProblem.Invalid(invalid.Errors),
            ChangeMemberRoleResult.MemberNotFound missing => FormProblem.NotFound($"member `{missing.UserId}`"),
            ChangeMemberRoleResult.Forbidden forbidden => FormProblem.Refused(StatusCodes.Status403Forbidden, forbidden.Detail),
            ChangeMemberRoleResult.Conflict conflict => FormProblem.Refused(StatusCodes.Status409Conflict, conflict.Detail),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
        return await DoneAsync("members", problem, $"Role changed to {role}.");
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostRemoveMemberAsync(string userId, string? email)
    {
        var problem = await removeMember.ExecuteAsync(new RemoveMemberCommand(Member, userId), Aborted) switch
        {
            RemoveMemberResult.Removed => null,
            RemoveMemberResult.MemberNotFound missing => FormProblem.NotFound($"member `{missing.UserId}`"),
            RemoveMemberResult.Forbidden forbidden => FormProblem.Refused(StatusCodes.Status403Forbidden, forbidden.Detail),
            RemoveMemberResult.Conflict conflict => FormProblem.Refused(StatusCodes.Status409Conflict, conflict.Detail),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
        return await DoneAsync("members", problem, $"Removed {email} from the workspace.");
    }

    [RequiresRole(Role.Admin)]
    public Task<IActionResult> OnPostFreezeAsync(string? reason) => SetFrozenAsync(true, FormFields.Text(reason));

    [RequiresRole(Role.Admin)]
    public Task<IActionResult> OnPostUnfreezeAsync() => SetFrozenAsync(false, null);

    private async Task<IActionResult> SetFrozenAsync(bool frozen, string? reason)
    {
        await freeze.SetAsync(Member.WorkspaceId, FreezeScope.Workspace, Member.WorkspaceId, Actor.User(Member.UserId), frozen, reason, Aborted);
        return await DoneAsync("freeze", null, frozen ? "Workspace frozen. Every agent's next request is blocked." : "Workspace unfrozen. Agents can act again.");
    }

    private async Task<IActionResult> PatchAsync(string form, SettingsPatch patch, FieldErrors? unread, string message)
    {
        var problem = await updateSettings.ExecuteAsync(new UpdateSettingsCommand(Member, patch), unread, Aborted) switch
        {
            UpdateSettingsResult.Updated => null,
            UpdateSettingsResult.Invalid invalid => FormProblem.Invalid(invalid.Errors),
            UpdateSettingsResult.Forbidden forbidden => FormProblem.Refused(StatusCodes.Status403Forbidden, forbidden.Detail),
            var other => throw new UnreachableException($"unexpected {other}"),
        };
        return await DoneAsync(form, problem, message);
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
