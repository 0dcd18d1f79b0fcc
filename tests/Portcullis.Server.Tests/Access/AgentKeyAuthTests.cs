using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Access;

public abstract class AgentKeyAuthTests(ServerFixture server)
{
    private static async Task<string> UnauthorizedBody(HttpResponseMessage response)
    {
        var body = await response.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        // Everything but the per-request id must be identical.
        var copy = body.EnumerateObject().Where(p => p.Name != "requestId").Select(p => $"{p.Name}={p.Value.GetRawText()}");
        return string.Join("|", copy);
    }

    [Fact]
    public async Task Missing_malformed_unknown_and_revoked_keys_get_the_identical_401()
    {
        var ws = await server.NewWorkspaceAsync();
        var created = await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/keys", new { name = "to revoke" });
        var key = await created.Json();
        await (await ws.Owner().DeleteAsync($"/api/agents/{ws.AgentId}/keys/{key.GetProperty("id").GetString()}")).AssertStatus(HttpStatusCode.NoContent);

        var bodies = new List<string>
        {
            await UnauthorizedBody(await server.Anonymous().PostJson("/api/ingest/run-start", new { triggerType = "t" })),
            await UnauthorizedBody(await server.WithBearer("not-a-key").PostJson("/api/ingest/run-start", new { triggerType = "t" })),
            await UnauthorizedBody(await server.WithBearer("pk_live_" + new string('Z', 40)).PostJson("/api/ingest/run-start", new { triggerType = "t" })),
            await UnauthorizedBody(await server.WithBearer(ws.AgentKey[..^1] + "x").PostJson("/api/ingest/run-start", new { triggerType = "t" })),
            await UnauthorizedBody(await server.WithBearer(key.GetProperty("key").GetString()!).PostJson("/api/ingest/run-start", new { triggerType = "t" })),
            await UnauthorizedBody(await server.Anonymous().PostJson("/api/ingest/run-start", new { agentKey = 12, triggerType = "t" })),
        };

        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once()
    {
        var ws = await server.NewWorkspaceAsync();
        var created = await (await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/keys", new { name = "short-lived" })).Json();
        var agent = server.WithBearer(created.GetProperty("key").GetString()!);
        await (await agent.PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);

        await (await ws.Owner().DeleteAsync($"/api/agents/{ws.AgentId}/keys/{created.GetProperty("id").GetString()}")).AssertStatus(HttpStatusCode.NoContent);

        await (await agent.PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_member_token_is_not_an_agent_key_and_an_agent_key_is_not_a_member_token()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        await (await ws.Agent().GetAsync("/api/agents")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Unauthenticated_requests_are_refused_before_the_body_is_judged()
    {
        var response = await server.Anonymous().PostRaw("/api/ingest/events", "{broken");
        await response.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Key_listing_shows_prefix_and_last_use_but_never_the_key()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.StartRunAsync();
        var response = await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/keys");
        await response.AssertStatus(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ws.AgentKey, text);
        var key = Assert.Single((await response.Json()).EnumerateArray());
        Assert.Equal(ws.AgentKey[..16], key.GetProperty("prefix").GetString());
        Assert.NotEqual(JsonValueKind.Null, key.GetProperty("lastUsedAt").ValueKind);
        Assert.False(key.GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public async Task A_new_key_is_shown_once_has_the_recognisable_prefix_and_works()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PostJson($"/api/agents/{ws.AgentId}/keys", new { name = "ci" });
        await response.AssertStatus(HttpStatusCode.Created);
        var key = (await response.Json()).GetProperty("key").GetString()!;
        Assert.StartsWith("pk_live_", key);
        Assert.True(key.Length >= 48);

        await (await server.WithBearer(key).PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);
        var listed = await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/keys")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(key, listed);
    }
}

public sealed class AgentKeyAuthSqliteTests(SqliteServer s) : AgentKeyAuthTests(s), IClassFixture<SqliteServer>;

public sealed class AgentKeyAuthPostgresTests(PostgresServer s) : AgentKeyAuthTests(s), IClassFixture<PostgresServer>;
