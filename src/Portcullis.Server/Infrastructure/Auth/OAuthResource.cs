namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>Endpoint metadata: besides agent keys, this endpoint takes OAuth access tokens issued for the resource it names.</summary>
public interface IOAuthResource
{
    string ResourceFor(HttpContext http);
}

/// <summary>Resolves OAuth access tokens to the agent their grant acts as (the MCP authorization server implements it).</summary>
public interface IAccessTokenAuthenticator
{
    bool Recognises(string? token);

    Task<AgentIdentity?> AuthenticateAsync(string? token, string resource, CancellationToken ct);
}
