using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>
/// Authenticates agent requests by <c>Authorization: Bearer pk_…</c> or, on endpoints marked
/// <see cref="AgentKeyInBody"/>, by <c>agentKey</c> in the JSON body; on endpoints marked <see cref="IOAuthResource"/>, also by an
/// OAuth access token issued for that resource. On success the principal carries the
/// agent's claims and the request carries its <see cref="AgentIdentity"/> (see <see cref="AgentClaims.GetAgent"/>).
/// </summary>
public sealed class AgentKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AgentAuthenticator authenticator, IAccessTokenAuthenticator accessTokens, IOptions<LimitsOptions> limits)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = BearerToken.From(Request);
        if (key is null && Context.GetEndpoint()?.Metadata.GetMetadata<AgentKeyInBody>() is not null)
        {
            key = AgentJsonBody.KeyIn(await AgentJsonBody.ReadOnceAsync(Context, limits.Value.MaxBodyBytes));
        }

        // Even with no key at all the authenticator does its full work, so a refusal's timing tells nothing.
        // The prefix first: an agent key (every REST call) never pays for the endpoint metadata lookup.
        var agent = accessTokens.Recognises(key) && Context.GetEndpoint()?.Metadata.GetMetadata<IOAuthResource>() is { } resource
            ? await accessTokens.AuthenticateAsync(key, resource.ResourceFor(Context), Context.RequestAborted)
            : await authenticator.AuthenticateAsync(key, Context.RequestAborted);
        if (agent is null)
        {
            return AuthenticateResult.Fail("invalid agent key");
        }

        Context.SetAgent(agent);
        return AuthenticateResult.Success(new AuthenticationTicket(AgentClaims.ToPrincipal(agent, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.GetEndpoint()?.Metadata.GetMetadata<IBearerChallenge>() is { } challenge)
        {
            Response.Headers.WWWAuthenticate = challenge.HeaderValue(Context);
        }

        return Problems.Unauthorized().ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Forbidden("this API key does not allow this").ExecuteAsync(Context);
}
