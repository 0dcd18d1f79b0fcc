using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Dashboard.Overview;

namespace Portcullis.Server.Features.Dashboard.Pages.Overview;

/// <summary>The dashboard's home: what the workspace's agents asked for and what happened, in one window of time.</summary>
public sealed class IndexModel(OverviewQueries overview, AgentQueries agents) : DashboardPage
{
    public OverviewCharts Charts { get; private set; } = null!;

    public OverviewWindow Window { get; private set; } = OverviewWindow.All[1];

    private IReadOnlyList<AgentDto> _agents = [];

    public string AgentName(string id) => _agents.FirstOrDefault(a => a.Id == id)?.Name ?? id;

    public async Task OnGetAsync(string? window)
    {
        Window = OverviewWindow.Of(window);
        _agents = await agents.ListAsync(Member.WorkspaceId, Aborted);
        Charts = new OverviewCharts(await overview.ReadAsync(Member.WorkspaceId, Window, Aborted));
    }
}
