using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Runs;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Runs;

/// <summary>One run and its timeline (the API's <c>GET /api/runs/{id}</c>); open runs follow new entries live.</summary>
public sealed class DetailModel(Database database) : DashboardPage
{
    public RunsQueryApi.RunWithTimeline Run { get; private set; } = null!;

    public string AgentName { get; private set; } = "";

    public long LastEntryId => Run.Timeline.Count == 0 ? 0 : Run.Timeline.Max(e => e.Id);

    public bool Open => RunStatus.IsOpen(Run.Run.Status);

    public async Task<IActionResult> OnGetAsync(string id)
    {
        var result = (await RunsQueryApi.Get(HttpContext, database, id)).Result;
        if (ApiResults.Value<RunsQueryApi.RunWithTimeline>(result) is not { } run)
        {
            return Missing($"Run {id}");
        }

        Run = run;
        AgentName = ApiResults.Value<AgentDto>((await AgentsApi.Get(HttpContext, database, run.Run.AgentId)).Result)?.Name ?? run.Run.AgentId;
        return Page();
    }
}
