using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Connectors;

/// <summary><c>GET /api/connectors</c>: the provider catalog, for members and agents alike.</summary>
public abstract class ConnectorCatalogApiTests(ServerFixture server)
{
    [Fact]
    public async Task A_member_token_lists_every_provider_with_fields_actions_schemas_and_hints()
    {
        var ws = await server.NewWorkspaceAsync();
        var viewer = await ws.MemberTokenAsync("viewer");
        var response = await server.WithBearer(viewer).GetAsync("/api/connectors");
        await response.AssertStatus(HttpStatusCode.OK);
        var providers = (await response.Json()).GetProperty("providers");

        Assert.Equal(["stripe", "gmail", "hubspot", "zendesk", "slack", "twilio", "webhook", "mqtt"],
            providers.EnumerateArray().Select(p => p.GetProperty("provider").GetString()));
        var stripe = providers[0];
        Assert.Equal("Stripe", stripe.GetProperty("displayName").GetString());
        Assert.False(stripe.GetProperty("oauth").GetBoolean());
        Assert.NotEmpty(stripe.GetProperty("setupGuide").GetString()!);
        var apiKey = Assert.Single(stripe.GetProperty("credentialFields").EnumerateArray());
        Assert.Equal("""{"name":"apiKey","label":"Secret API key","secret":true,"required":true,"hint":true}""", apiKey.GetRawText());

        var refund = stripe.GetProperty("actions")[0];
        Assert.Equal("refund.create", refund.GetProperty("actionType").GetString());
        Assert.Equal("""{"readOnly":false,"destructive":true,"idempotent":true}""", refund.GetProperty("hints").GetRawText());
        var schema = refund.GetProperty("inputSchema");
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        Assert.Equal(["duplicate", "fraudulent", "requested_by_customer"],
            schema.GetProperty("properties").GetProperty("reason").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));

        var gmail = providers[1];
        Assert.True(gmail.GetProperty("oauth").GetBoolean());
        Assert.Empty(gmail.GetProperty("credentialFields").EnumerateArray());
    }

    [Fact]
    public async Task An_agent_key_reads_the_same_catalog()
    {
        var ws = await server.NewWorkspaceAsync();
        var asAgent = await ws.Agent().GetAsync("/api/connectors");
        await asAgent.AssertStatus(HttpStatusCode.OK);
        var asOwner = await ws.Owner().GetAsync("/api/connectors");
        Assert.Equal(await asOwner.Content.ReadAsStringAsync(), await asAgent.Content.ReadAsStringAsync());

        var actions = (await asAgent.Json()).GetProperty("providers").EnumerateArray()
            .SelectMany(p => p.GetProperty("actions").EnumerateArray()).ToList();
        Assert.Equal(21, actions.Count);
        Assert.All(actions, a => Assert.Equal(JsonValueKind.Object, a.GetProperty("inputSchema").ValueKind));
    }

    [Fact]
    public async Task Without_a_valid_credential_it_is_the_usual_401()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await server.Anonymous().GetAsync("/api/connectors")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await server.WithBearer(ws.AgentKey[..^1] + "x").GetAsync("/api/connectors")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await server.WithBearer("pat_" + new string('x', 40)).GetAsync("/api/connectors")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }
}

public sealed class ConnectorCatalogApiSqliteTests(SqliteServer s) : ConnectorCatalogApiTests(s), IClassFixture<SqliteServer>;

public sealed class ConnectorCatalogApiPostgresTests(PostgresServer s) : ConnectorCatalogApiTests(s), IClassFixture<PostgresServer>;
