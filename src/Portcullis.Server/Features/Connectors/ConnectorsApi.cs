using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Connectors;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Connectors;

/// <summary>
/// <c>GET /api/connectors</c>: the catalog of built-in providers and their actions (payload JSON Schema and
/// hints), read from the connector descriptors. MCP, the workflow editor, the dashboard and agents use it, so
/// a member token or an agent key (<c>pk_…</c>) is enough.
/// </summary>
public static class ConnectorsApi
{
    public sealed record CatalogResponse(IReadOnlyList<ProviderDto> Providers);

    public sealed record ProviderDto(
        string Provider, string DisplayName, string SetupGuide, [property: JsonPropertyName("oauth")] bool OAuth,
        IReadOnlyList<CredentialFieldDto> CredentialFields, IReadOnlyList<ActionDto> Actions);

    public sealed record CredentialFieldDto(string Name, string Label, bool Secret, bool Required, bool Hint);

    public sealed record ActionDto(string ActionType, string Description, JsonElement InputSchema, HintsDto Hints);

    public sealed record HintsDto(bool ReadOnly, bool Destructive, bool Idempotent);

    // The catalog is fixed at build time: built once, and JsonElement keeps it safe to share between requests.
    private static readonly CatalogResponse Catalog = new(ConnectorCatalog.All.Select(ToDto).ToList());

    public static RouteGroupBuilder MapConnectors(this RouteGroupBuilder group)
    {
        // An agent key (with its rate limit) or a member token of any role. No billing lock: reading the catalog costs
        // nothing and tells an agent what it may ask for.
        group.MapGet("/connectors", List).RequireAgentKeyOrMember().WithTags("Agent API");
        return group;
    }

    public static Ok<CatalogResponse> List() => TypedResults.Ok(Catalog);

    // The fields of an OAuth-only provider are written by the OAuth flow; none is typed in, so none is listed.
    private static ProviderDto ToDto(ConnectorDescriptor d) => new(
        d.Provider, d.DisplayName, d.SetupGuide, d.OAuth is not null,
        d.OAuthOnly ? [] : d.CredentialFields.Select(f => new CredentialFieldDto(f.Name, f.Label, f.Secret, f.Required, f.Hint)).ToList(),
        d.Actions.Select(a => new ActionDto(a.ActionType, a.Description, JsonSerializer.SerializeToElement(a.InputSchema()),
            new HintsDto(a.Hints.ReadOnly, a.Hints.Destructive, a.Hints.Idempotent))).ToList());
}
