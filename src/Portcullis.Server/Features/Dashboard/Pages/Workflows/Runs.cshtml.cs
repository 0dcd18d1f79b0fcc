using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Workflows;
using Portcullis.Server.Features.Workflows.Runs;

namespace Portcullis.Server.Features.Dashboard.Pages.Workflows;

/// <summary>A workflow's run history, newest first (the API's <c>GET /api/workflows/{id}/runs</c>).</summary>
public sealed class RunsModel(WorkflowStore store, WorkflowRunQueries runs) : DashboardPage
{
    public const int PageSize = 50;

    public WorkflowDto Workflow { get; private set; } = null!;

    public IReadOnlyList<WorkflowRunDto> Runs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string agentId, string id, string? cursor)
    {
        var row = await store.FindAsync(Member.WorkspaceId, id, Aborted);
        if (row is null || row.AgentId != agentId)
        {
            return Missing($"Workflow {id}");
        }

        Workflow = row.ToDto();
        Runs = await runs.ListAsync(Member.WorkspaceId, id, null, PageSize, cursor, Aborted);
        return Page();
    }
}
