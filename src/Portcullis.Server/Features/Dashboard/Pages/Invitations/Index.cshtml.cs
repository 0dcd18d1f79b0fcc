using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Mcp;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Features.Workspaces.Invitations;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Dashboard.Pages.Invitations;

/// <summary>The workspace's invitations (admins and owners): invite by email (<see cref="AddMember"/>), see the pending ones, revoke.</summary>
[Authorize(Policy = DashboardPolicies.Admin)]
public sealed class IndexModel(InvitationStore store, AddMember addMember, RevokeInvitation revoke, TimeProvider time) : DashboardPage
{
    public IReadOnlyList<InvitationDto> Invitations { get; private set; } = [];

    /// <summary>The link of the invitation just created: shown on this answer only, never stored or flashed.</summary>
    public CreatedInvitationDto? Created { get; private set; }

    public async Task OnGetAsync()
    {
        var now = time.Now();
        Invitations = (await store.ListAsync(Member.WorkspaceId, pendingOnly: false, Aborted)).Select(r => r.ToDto(now)).ToList();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostInviteAsync(string? email, string? role)
    {
        var command = new AddMemberCommand(Member, FormFields.Text(email, required: true), FormFields.Text(role, required: true));
        switch (await addMember.ExecuteAsync(command, null, Aborted))
        {
            case AddMemberResult.Invited invited:
                Created = CreatedInvitationDto.Of(invited.Invitation, invited.Token, McpLinks.For(HttpContext).BaseUrl);
                Response.StatusCode = StatusCodes.Status201Created;
                break;
            case AddMemberResult.Invalid invalid:
                Fail(FormProblem.Invalid(invalid.Errors));
                break;
            case AddMemberResult.Forbidden forbidden:
                Fail(FormProblem.Refused(StatusCodes.Status403Forbidden, forbidden.Detail));
                break;
            case AddMemberResult.Conflict conflict:
                Fail(FormProblem.Refused(StatusCodes.Status409Conflict, conflict.Detail));
                break;
            default:
                throw new UnreachableException();
        }

        await OnGetAsync();
        return Page();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostRevokeAsync(string invitationId)
    {
        switch (await revoke.ExecuteAsync(new RevokeInvitationCommand(Member, invitationId), Aborted))
        {
            case RevokeInvitationResult.Revoked:
                Flash("Invitation revoked; its link no longer works.");
                return LocalRedirect("/invitations");
            case RevokeInvitationResult.NotFound missing:
                Fail(FormProblem.NotFound($"invitation `{missing.InvitationId}`"));
                break;
            case RevokeInvitationResult.Conflict conflict:
                Fail(FormProblem.Refused(StatusCodes.Status409Conflict, conflict.Detail));
                break;
            default:
                throw new UnreachableException();
        }

        await OnGetAsync();
        return Page();
    }
}
