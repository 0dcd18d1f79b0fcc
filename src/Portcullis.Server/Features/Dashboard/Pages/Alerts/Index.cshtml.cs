using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Alerts;

/// <summary>Actions allowed with an alert, newest first (the API's <c>GET /api/alerts</c>).</summary>
public sealed class IndexModel(Database database, AgentQueries agents) : DashboardPage
{
    public AlertsApi.AlertPage? Alerts { get; private set; }

    public IReadOnlyList<AgentDto> Agents { get; private set; } = [];

    public string? AgentId { get; private set; }

    public string? Before { get; private set; }

    public string AgentName(string id) => Agents.FirstOrDefault(a => a.Id == id)?.Name ?? id;

    public async Task OnGetAsync(string? agentId, string? before)
    {
        AgentId = string.IsNullOrWhiteSpace(agentId) ? null : agentId;
        Before = string.IsNullOrWhiteSpace(before) ? null : before;
        Agents = await agents.ListAsync(Member.WorkspaceId, Aborted);
        var result = (await AlertsApi.List(HttpContext, database, AgentId, null, "50", Before)).Result;
        Alerts = ApiResults.Value<AlertsApi.AlertPage>(result);
        if (ApiResults.Problem(result) is { } problem)
        {
            Fail(problem);
        }
    }
}
