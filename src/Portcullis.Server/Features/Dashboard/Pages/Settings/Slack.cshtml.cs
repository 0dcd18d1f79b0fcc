using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Approvals.Slack;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Dashboard.Pages.Settings;

/// <summary>
/// Settings → Slack: every member links their own Slack user id (the profile part: who a click in Slack decides as);
/// admins connect the workspace's Slack app for approvals (bot token, signing secret, default channel) or disconnect it.
/// The same use cases as <c>/api/me/slack</c> and <c>/api/integrations/slack</c>; secrets are never shown back.
/// </summary>
public sealed class SlackModel(SlackIntegrationStore integrations, SlackConnect connect, SlackLinks links) : DashboardPage
{
    public SlackIntegration? Integration { get; private set; }

    public string? SlackUserId { get; private set; }

    /// <summary>Which form failed, so its errors show beside it.</summary>
    public string? FailedForm { get; private set; }

    public async Task OnGetAsync()
    {
        Integration = await integrations.FindAsync(Member.WorkspaceId, Aborted);
        SlackUserId = await links.FindAsync(Member.WorkspaceId, Member.UserId, Aborted);
    }

    // Every member links their own identity; the gate still wants the handler to name its role.
    [RequiresRole(Role.Viewer)]
    public async Task<IActionResult> OnPostLinkAsync(string? slackUserId)
    {
        var id = FormFields.Text(slackUserId)?.Trim();
        id = string.IsNullOrEmpty(id) ? null : id;
        FormProblem? problem = id is not null && !SlackLinks.IsUserId(id)
            ? FormProblem.Invalid(new FieldErrors().Add("slackUserId", "must be a Slack user id such as `U024BE7LH`"))
            : await links.SetAsync(Member.WorkspaceId, Member.UserId, id, Aborted) == SlackLinks.Change.Taken
                ? FormProblem.Refused(StatusCodes.Status409Conflict, $"the Slack user `{id}` is already linked to another member of this workspace")
                : null;
        return await DoneAsync("link", problem, id is null ? "Slack identity unlinked." : "Slack identity linked.");
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostConnectAsync(string? botToken, string? signingSecret, string? defaultChannel)
    {
        var errors = new FieldErrors();
        foreach (var (field, value, max) in new[] { ("botToken", botToken, 300), ("signingSecret", signingSecret, 200), ("defaultChannel", defaultChannel, 80) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > max)
            {
                errors.Add(field, $"is required (at most {max} characters)");
            }
        }

        FormProblem? problem = errors.Any ? FormProblem.Invalid(errors) : null;
        if (problem is null)
        {
            var result = await connect.ConnectAsync(Member.WorkspaceId, Member.UserId, botToken!, signingSecret!, defaultChannel!, Aborted);
            problem = result.Refusal is { } refusal ? FormProblem.Refused(StatusCodes.Status400BadRequest, refusal) : null;
        }

        return await DoneAsync("connect", problem, "Slack app connected. Held actions are now posted to Slack.");
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostDisconnectAsync()
    {
        var problem = await integrations.DeleteAsync(Member.WorkspaceId, Member.UserId, Aborted) ? null : FormProblem.NotFound("a Slack integration");
        return await DoneAsync("connect", problem, "Slack app disconnected.");
    }

    private async Task<IActionResult> DoneAsync(string form, FormProblem? problem, string message)
    {
        if (problem is null)
        {
            Flash(message);
            return LocalRedirect("/settings/slack");
        }

        FailedForm = form;
        Fail(problem);
        await OnGetAsync();
        return Page();
    }
}
