using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workflows;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.Workflows;

/// <summary>
/// One workflow run (<c>/workflow-runs/{id}</c>): every step with its status, rendered input, output, decision, error and,
/// while it waits, a link to its approval. An open run's steps refresh on their own; an admin may cancel it.
/// </summary>
public sealed class RunModel(WorkflowRunQueries runs, WorkflowStore store, CancelWorkflowRun cancel) : DashboardPage
{
    public WorkflowRunDto Run { get; private set; } = null!;

    public string AgentId { get; private set; } = "";

    public bool Open => WorkflowRunStatus.IsOpen(Run.Status);

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (await runs.GetAsync(Member.WorkspaceId, id, null, Aborted) is not { } run)
        {
            return Missing($"Workflow run {id}");
        }

        Run = run;
        // The workflow may have been deleted since: its runs stay readable, only the link back goes.
        AgentId = (await store.FindAsync(Member.WorkspaceId, run.WorkflowId, Aborted))?.AgentId ?? "";
        return Page();
    }

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostCancelAsync(string id)
    {
        switch (await cancel.ExecuteAsync(Member.WorkspaceId, id, null, Member.UserId, Aborted))
        {
            case CancelWorkflowRunResult.Cancelled:
                Flash("Workflow run cancelled. A call already sent is not recalled.");
                return LocalRedirect($"/workflow-runs/{Uri.EscapeDataString(id)}");
            case CancelWorkflowRunResult.NotCancellable n:
                Fail(FormProblem.Of($"This run has already ended ({n.Status}).", StatusCodes.Status409Conflict));
                return await OnGetAsync(id);
            default:
                return Missing($"Workflow run {id}");
        }
    }
}
