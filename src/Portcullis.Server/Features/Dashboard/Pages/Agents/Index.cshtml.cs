using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Agents;

/// <summary>The workspace's agents, and creating one (the API's create use case).</summary>
public sealed class IndexModel(Database database, AuditTrail audit, TimeProvider time) : DashboardPage
{
    public IReadOnlyList<AgentDto> Agents { get; private set; } = [];

    public string? PostedName { get; private set; }

    public string? PostedDescription { get; private set; }

    public async Task OnGetAsync() => Agents = (await AgentsApi.List(HttpContext, database)).Value!;

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostCreateAsync(string? name, string? description)
    {
        var body = new FormJson().Text("name", name, required: true).Text("description", description).ToElement();
        var result = (await AgentsApi.CreateAsync(Member, body, database, audit, time, Aborted)).Result;
        if (ApiResults.Value<AgentDto>(result) is { } agent)
        {
            Flash($"Created agent {agent.Name}. Generate an API key for it below.");
            return LocalRedirect($"/agents/{Uri.EscapeDataString(agent.Id)}?tab=keys");
        }

        Fail(ApiResults.Problem(result)!);
        (PostedName, PostedDescription) = (name, description);
        await OnGetAsync();
        return Page();
    }
}
