using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Connectors;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary><c>GET /api/agents/{id}/integrations</c>: the three lists of an agent's Integrations tab.</summary>
public static class IntegrationsApi
{
    public sealed record ProviderDto(string Provider, IReadOnlyList<string> Actions, bool OAuth);

    public sealed record Integrations(IReadOnlyList<CredentialDto> Connected, IReadOnlyList<CredentialDto> ReadyToLink, IReadOnlyList<ProviderDto> Available);

    public static RouteGroupBuilder MapIntegrations(this RouteGroupBuilder group)
    {
        group.MapGet("/agents/{id}/integrations", Get).RequireAuthorization(RolePolicies.Viewer);
        return group;
    }

    public static async Task<Results<Ok<Integrations>, ProblemHttpResult>> Get(HttpContext http, Database database, CredentialStore store, string id)
    {
        var member = http.User.GetMember();
        await using var c = await database.OpenAsync(http.RequestAborted);
        if (await AgentsApi.FindAsync(c, member.WorkspaceId, id) is null)
        {
            return Problems.NotFound($"agent `{id}`");
        }

        var links = await CredentialStore.LinksAsync(c, member.WorkspaceId);
        var all = (await store.ListAsync(member.WorkspaceId, http.RequestAborted)).Select(r => r.ToDto(links[r.Id].ToList())).ToList();
        var connected = all.Where(d => d.LinkedAgentIds.Contains(id)).ToList();
        var ready = all.Where(d => !d.LinkedAgentIds.Contains(id)).ToList();
        var available = ActionCatalog.Providers
            .Where(p => all.All(d => d.Provider != p))
            .Select(p => new ProviderDto(p, ActionCatalog.ActionsOf(p), ProviderFields.ByProvider[p].OAuth))
            .ToList();
        return TypedResults.Ok(new Integrations(connected, ready, available));
    }
}
