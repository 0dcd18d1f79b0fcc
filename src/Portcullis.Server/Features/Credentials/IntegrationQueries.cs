using Portcullis.Connectors;
using Portcullis.Server.Features.Agents;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>An agent's Integrations tab, shared by <c>GET /api/agents/{id}/integrations</c> and the dashboard's agent page.</summary>
public sealed class IntegrationQueries(Database database, CredentialStore store)
{
    /// <summary>Connected, ready-to-link and available providers for the agent, or null when the workspace has no such agent.</summary>
    public async Task<IntegrationsApi.Integrations?> GetAsync(string workspaceId, string agentId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        if (await AgentsApi.FindAsync(c, workspaceId, agentId) is null)
        {
            return null;
        }

        var links = await CredentialStore.LinksAsync(c, workspaceId);
        var all = (await store.ListAsync(workspaceId, ct)).Select(r => r.ToDto(links[r.Id].ToList())).ToList();
        var connected = all.Where(d => d.LinkedAgentIds.Contains(agentId)).ToList();
        var ready = all.Where(d => !d.LinkedAgentIds.Contains(agentId)).ToList();
        var available = ActionCatalog.Providers
            .Where(p => all.All(d => d.Provider != p))
            .Select(p => new IntegrationsApi.ProviderDto(p, ActionCatalog.ActionsOf(p), ProviderFields.ByProvider[p].OAuth))
            .ToList();
        return new IntegrationsApi.Integrations(connected, ready, available);
    }

    /// <summary>Every credential of the workspace with the agents it is linked to.</summary>
    public async Task<IReadOnlyList<CredentialDto>> ListCredentialsAsync(string workspaceId, CancellationToken ct)
    {
        var rows = await store.ListAsync(workspaceId, ct);
        await using var c = await database.OpenAsync(ct);
        var links = await CredentialStore.LinksAsync(c, workspaceId);
        return rows.Select(r => r.ToDto(links[r.Id].ToList())).ToList();
    }
}
