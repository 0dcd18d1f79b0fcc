using Microsoft.AspNetCore.Authentication;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>
/// Agent authentication wired the framework's way: an authentication scheme, authorization policies naming it,
/// a per-key rate-limiter policy, and endpoint filters for the billing lock and the JSON body.
/// </summary>
public static class AgentEndpoints
{
    public static IServiceCollection AddAgentAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<AgentAuthenticator>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AgentKeyHandler>(AgentClaims.Scheme, null)
            .AddPolicyScheme(AgentClaims.AgentOrMemberScheme, null, o => o.ForwardDefaultSelector = http =>
                BearerToken.From(http.Request)?.StartsWith("pk_", StringComparison.Ordinal) == true ? AgentClaims.Scheme : MemberClaims.Scheme);
        services.AddAuthorization(o =>
        {
            o.AddPolicy(AgentClaims.Policy, p => p.AddAuthenticationSchemes(AgentClaims.Scheme).RequireAuthenticatedUser());
            o.AddPolicy(AgentClaims.AgentOrMemberPolicy, p => p.AddAuthenticationSchemes(AgentClaims.AgentOrMemberScheme).RequireAuthenticatedUser());
        });
        services.AddRateLimiter(o => o.AddPolicy<string, AgentKeyRateLimit>(AgentKeyRateLimit.Name));
        return services;
    }

    /// <summary>Requires an agent key (401 otherwise) and applies the key's rate limit (429).</summary>
    public static TBuilder RequireAgentKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AgentClaims.Policy).RequireRateLimiting(AgentKeyRateLimit.Name);

    /// <summary>Requires an agent key or a member token; agents get their key's rate limit, members none.</summary>
    public static TBuilder RequireAgentKeyOrMember<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AgentClaims.AgentOrMemberPolicy).RequireRateLimiting(AgentKeyRateLimit.Name);

    /// <summary>Refuses calls with 402 <c>billing_locked</c> while the agent's workspace is locked.</summary>
    public static TBuilder WithBillingLock<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, BillingLockFilter>();

    /// <summary>
    /// A spec endpoint: the key may also come as <c>agentKey</c> in its JSON body, and the handler reads the body with
    /// <see cref="AgentJsonBodyAccess.GetAgentBody"/>. Map it after <see cref="WithBillingLock{TBuilder}"/>: filters run
    /// in the order they are added, and a locked workspace is answered before the body is judged.
    /// </summary>
    public static RouteHandlerBuilder AcceptsAgentJson<TRequest>(this RouteHandlerBuilder builder) where TRequest : notnull =>
        builder.WithMetadata(AgentKeyInBody.Instance).AddEndpointFilter<RouteHandlerBuilder, AgentJsonBodyFilter>()
            .Accepts<TRequest>("application/json");

    /// <summary>
    /// An agent endpoint beyond the spec's four with a JSON body read like theirs (<see cref="AgentJsonBodyAccess.GetAgentBody"/>,
    /// the same 413/400), whose key comes in the <c>Authorization</c> header only.
    /// </summary>
    public static RouteHandlerBuilder ReadsAgentJson<TRequest>(this RouteHandlerBuilder builder) where TRequest : notnull =>
        builder.AddEndpointFilter<RouteHandlerBuilder, AgentJsonBodyFilter>().Accepts<TRequest>("application/json");
}
