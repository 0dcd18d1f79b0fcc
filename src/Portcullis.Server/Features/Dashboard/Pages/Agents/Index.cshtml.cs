using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.Agents;

/// <summary>The workspace's agents, and creating one (the <see cref="CreateAgent"/> use case).</summary>
public sealed class IndexModel(AgentQueries agents, CreateAgent createAgent) : DashboardPage
{
    public IReadOnlyList<AgentDto> Agents { get; private set; } = [];

    public string? PostedName { get; private set; }

    public string? PostedDescription { get; private set; }

    public async Task OnGetAsync() => Agents = await agents.ListAsync(Member.WorkspaceId, Aborted);

    [RequiresRole(Role.Admin)]
    public async Task<IActionResult> OnPostCreateAsync(string? name, string? description)
    {
        var command = new CreateAgentCommand(Member, FormFields.Text(name, required: true), FormFields.Text(description));
        switch (await createAgent.ExecuteAsync(command, null, Aborted))
        {
            case CreateAgentResult.Created { Agent: var agent }:
                Flash($"Created agent {agent.Name}. Generate an API key for it below.");
                return LocalRedirect($"/agents/{Uri.EscapeDataString(agent.Id)}?tab=keys");
            case CreateAgentResult.Invalid invalid:
                Fail(FormProblem.Invalid(invalid.Errors));
                break;
            case CreateAgentResult.Conflict conflict:
                Fail(FormProblem.Refused(StatusCodes.Status409Conflict, conflict.Detail));
                break;
            default:
                throw new UnreachableException();
        }

        (PostedName, PostedDescription) = (name, description);
        await OnGetAsync();
        return Page();
    }
}
