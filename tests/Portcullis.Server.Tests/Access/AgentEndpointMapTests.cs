using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Access;

/// <summary>The route table itself: where the agent scheme, the body key and the per-key limit apply.</summary>
public sealed class AgentEndpointMapTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private IReadOnlyList<RouteEndpoint> Endpoints =>
        server.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    private static string Route(RouteEndpoint e) =>
        $"{e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault()} /{e.RoutePattern.RawText?.TrimStart('/')}";

    [Fact]
    public void The_key_is_taken_from_the_body_on_exactly_the_four_spec_endpoints()
    {
        var bodyKey = Endpoints.Where(e => e.Metadata.GetMetadata<AgentKeyInBody>() is not null).Select(Route).Order();
        Assert.Equal(
            ["POST /api/actions/request", "POST /api/ingest/events", "POST /api/ingest/run-end", "POST /api/ingest/run-start"],
            bodyKey);
    }

    [Fact]
    public void Every_agent_endpoint_requires_the_agent_scheme_and_the_per_key_limit()
    {
        var agentApi = Endpoints.Where(e => e.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains("Agent API") == true).ToList();
        Assert.Equal(7, agentApi.Count); // the four spec endpoints, the agent's view of an approval, the connector catalog, the check
        foreach (var endpoint in agentApi)
        {
            Assert.Null(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy);
            Assert.Contains(policies, p => p is AgentClaims.Policy or AgentClaims.AgentOrMemberPolicy);
            Assert.Equal(AgentKeyRateLimit.Name, endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName);
        }
    }
}
