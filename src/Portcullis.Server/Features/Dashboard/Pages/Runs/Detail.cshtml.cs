using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Runs;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.Runs;

/// <summary>
/// One run and its timeline (the API's <c>GET /api/runs/{id}</c>); open runs follow new entries live. Actions whose outcome
/// became unknown in a crash are listed with a form an admin settles them with.
/// </summary>
public sealed class DetailModel(RunQueries runs, AgentQueries agents, ActionQueries actions, ActionReconciler reconciler) : DashboardPage
{
    public IReadOnlyList<ActionQueries.UnknownAction> Unknown { get; private set; } = [];

    public RunsQueryApi.RunWithTimeline Run { get; private set; } = null!;

    public string AgentName { get; private set; } = "";

    public long LastEntryId => Run.Timeline.Count == 0 ? 0 : Run.Timeline.Max(e => e.Id);

    public bool Open => RunStatus.IsOpen(Run.Run.Status);

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (await runs.GetWithTimelineAsync(Member.WorkspaceId, id, Aborted) is not { } run)
        {
            return Missing($"Run {id}");
        }

        Run = run;
        Unknown = await actions.UnknownInRunAsync(Member.WorkspaceId, id, Aborted);
        AgentName = (await agents.GetAsync(Member.WorkspaceId, run.Run.AgentId, Aborted))?.Name ?? run.Run.AgentId;
        return Page();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostReconcileAsync(string id, string actionRequestId, string? outcome, string? comment)
    {
        if (outcome is null || !ReconcileOutcome.All.Contains(outcome) || comment?.Length > 2000)
        {
            Fail(FormProblem.Of(comment?.Length > 2000 ? "The comment must be at most 2000 characters." : "Choose executed, failed or retry."));
            return await OnGetAsync(id);
        }

        var result = await reconciler.ReconcileAsync(
            new ReconcileCommand(Member.WorkspaceId, Member.UserId, actionRequestId, outcome, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim()),
            CancellationToken.None);
        switch (result)
        {
            case ReconcileResult.Reconciled r:
                Flash(r.Status == ActionStatus.Executing ? "Sent again; the result appears on the timeline." : $"Recorded as {r.Status}.");
                return LocalRedirect($"/runs/{Uri.EscapeDataString(id)}");
            case ReconcileResult.NotReconcilable n:
                Fail(FormProblem.Of($"This action is {n.Status}; only an unknown outcome can be reconciled.", StatusCodes.Status409Conflict));
                return await OnGetAsync(id);
            default:
                return Missing($"Action request {actionRequestId}");
        }
    }
}
