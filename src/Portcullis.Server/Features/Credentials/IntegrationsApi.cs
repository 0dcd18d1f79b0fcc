using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

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

    public static async Task<Results<Ok<Integrations>, ProblemHttpResult>> Get(HttpContext http, IntegrationQueries integrations, string id) =>
        await integrations.GetAsync(http.User.GetMember().WorkspaceId, id, http.RequestAborted) is { } found
            ? TypedResults.Ok(found)
            : Problems.NotFound($"agent `{id}`");
}
