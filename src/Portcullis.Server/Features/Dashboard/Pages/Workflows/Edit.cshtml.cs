using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Features.Connectors;
using Portcullis.Server.Features.Credentials;
using Portcullis.Server.Features.Workflows;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Pages.Workflows;

/// <summary>
/// The workflow editor (<c>/agents/{agentId}/workflows/new</c> or <c>…/{workflowId}</c>). The page carries what the editor
/// script needs as one JSON attribute: the workflow, the connector catalog and the agent's linked credentials; the script
/// checks as the user types, saves through <see cref="SaveWorkflow"/> and runs the dry run, all through /dashboard endpoints.
/// </summary>
public sealed class EditModel(AgentQueries agents, WorkflowStore store, IntegrationQueries integrations) : DashboardPage
{
    public const string NewId = "new";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AgentDto Agent { get; private set; } = null!;

    public WorkflowDto? Workflow { get; private set; }

    /// <summary>The editor's model, for its <c>data-model</c> attribute.</summary>
    public string ModelJson { get; private set; } = "{}";

    public async Task<IActionResult> OnGetAsync(string agentId, string id)
    {
        if (await agents.GetAsync(Member.WorkspaceId, agentId, Aborted) is not { } agent)
        {
            return Missing($"Agent {agentId}");
        }

        Agent = agent;
        if (id != NewId)
        {
            var row = await store.FindAsync(Member.WorkspaceId, id, Aborted);
            if (row is null || row.AgentId != agentId)
            {
                return Missing($"Workflow {id}");
            }

            Workflow = row.ToDto();
        }

        var linked = (await integrations.GetAsync(Member.WorkspaceId, agentId, Aborted))?.Connected ?? [];
        ModelJson = JsonSerializer.Serialize(new
        {
            agentId,
            agentName = agent.Name,
            workflowId = Workflow?.Id,
            canEdit = Can(Role.Admin),
            workflow = Workflow,
            providers = ConnectorsApi.List().Value!.Providers,
            credentials = linked.Select(c => new { c.Id, c.Name, c.Provider }),
            integrationsUrl = $"/agents/{Uri.EscapeDataString(agentId)}?tab=integrations",
        }, Json);
        return Page();
    }
}
