using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.Workspaces;

/// <summary>The member's workspaces: switch (<see cref="SwitchWorkspace"/>) and create one (<see cref="CreateWorkspace"/>, then switch into it).</summary>
public sealed class IndexModel(WorkspaceQueries workspaces, CreateWorkspace create, SwitchWorkspace switcher) : DashboardPage
{
    public IReadOnlyList<WorkspaceSummaryDto> Workspaces { get; private set; } = [];

    public string? PostedName { get; private set; }

    public async Task OnGetAsync() => Workspaces = await workspaces.ListMineAsync(Member, Aborted);

    [RequiresRole(Role.Viewer)]
    public async Task<IActionResult> OnPostSwitchAsync(string? workspaceId, string? returnTo)
    {
        if (await SwitchAsync(workspaceId) is { } name)
        {
            Flash($"Switched to {name}.");
            // Back to the same section, never to a page of the old workspace's records (their ids mean nothing here).
            return LocalRedirect(returnTo is not null && Url.IsLocalUrl(returnTo) && returnTo.Count(c => c == '/') == 1 ? returnTo : "/");
        }

        Fail(FormProblem.NotFound($"workspace `{workspaceId}`"));
        await OnGetAsync();
        return Page();
    }

    [RequiresRole(Role.Viewer)]
    public async Task<IActionResult> OnPostCreateAsync(string? name)
    {
        switch (await create.ExecuteAsync(new CreateWorkspaceCommand(Member, FormFields.Text(name, required: true)), null, Aborted))
        {
            case CreateWorkspaceResult.Created { Workspace: var ws }:
                await SwitchAsync(ws.Id);
                Flash($"Created workspace {ws.Name}; you are its owner. Add an agent, policies and members to start.");
                return LocalRedirect("/");
            case CreateWorkspaceResult.Invalid invalid:
                Fail(FormProblem.Invalid(invalid.Errors));
                break;
            default:
                throw new UnreachableException();
        }

        PostedName = name;
        await OnGetAsync();
        return Page();
    }

    /// <summary>Moves the session cookie into the workspace; its name, or null when the member does not belong to it.</summary>
    private async Task<string?> SwitchAsync(string? workspaceId)
    {
        if (await switcher.ExecuteAsync(new SwitchWorkspaceCommand(Member, FormFields.Text(workspaceId)), Aborted) is not SwitchWorkspaceResult.Switched s)
        {
            return null;
        }

        SessionCookie.Append(HttpContext, s.Token, DateTimeOffset.FromUnixTimeMilliseconds(s.ExpiresAt));
        return (await workspaces.ListMineAsync(Member, Aborted)).FirstOrDefault(w => w.Id == s.WorkspaceId)?.Name ?? s.WorkspaceId;
    }
}
