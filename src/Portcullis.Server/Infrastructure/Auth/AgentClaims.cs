using System.Security.Claims;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>
/// The agent behind an agent-API request, as claims (for policies and the rate limiter) and as the
/// <see cref="AgentIdentity"/> the key lookup returned (for handlers, without a second read).
/// </summary>
public static class AgentClaims
{
    /// <summary>The authentication scheme: <c>Authorization: Bearer pk_…</c>, or <c>agentKey</c> on the spec endpoints.</summary>
    public const string Scheme = "AgentKey";

    /// <summary>Forwards a <c>pk_…</c> bearer to <see cref="Scheme"/> and anything else to the member scheme.</summary>
    public const string AgentOrMemberScheme = "AgentKeyOrMemberToken";

    /// <summary>Authorization policy: an authenticated agent key.</summary>
    public const string Policy = "agent";

    /// <summary>Authorization policy: an authenticated agent key or member token.</summary>
    public const string AgentOrMemberPolicy = "agent-or-member";

    public const string AgentId = "portcullis:agent";
    public const string WorkspaceId = MemberClaims.WorkspaceId;
    public const string KeyId = "portcullis:agent_key";

    public static ClaimsPrincipal ToPrincipal(AgentIdentity agent, string scheme = Scheme) => new(new ClaimsIdentity(
    [
        new Claim(AgentId, agent.AgentId),
        // The MCP SDK binds a session to the user it started with by this claim: another key cannot take it over.
        new Claim(ClaimTypes.NameIdentifier, agent.KeyId),
        new Claim(ClaimTypes.Name, agent.AgentName),
        new Claim(WorkspaceId, agent.WorkspaceId),
        new Claim(KeyId, agent.KeyId),
    ], scheme, ClaimTypes.Name, null));

    /// <summary>The agent of a request that passed the agent scheme; throws on an endpoint that does not require one.</summary>
    public static AgentIdentity GetAgent(this HttpContext http) =>
        http.FindAgent() ?? throw new InvalidOperationException("the request was not authenticated by an agent key");

    /// <summary>The agent of a request that passed the agent scheme, or null (a member, or no authentication).</summary>
    public static AgentIdentity? FindAgent(this HttpContext http) => http.Features.Get<AgentIdentity>();

    internal static void SetAgent(this HttpContext http, AgentIdentity agent) => http.Features.Set(agent);
}
