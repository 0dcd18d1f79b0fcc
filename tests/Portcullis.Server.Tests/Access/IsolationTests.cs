using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Access;

/// <summary>Workspace B's key and members can read or write nothing of workspace A.</summary>
public abstract class IsolationTests(ServerFixture server)
{
    [Fact]
    public async Task Another_workspaces_agent_cannot_write_to_or_end_a_run()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        var runId = await a.StartRunAsync();

        await (await b.Agent().PostJson("/api/ingest/events", new { runId, events = new[] { new { eventType = "x", sequenceNo = 2 } } }))
            .AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Agent().PostJson("/api/ingest/run-end", new { runId, status = "failed" }))
            .AssertProblem(HttpStatusCode.NotFound, "not_found");

        var run = await a.RunAsync(runId);
        Assert.Equal("running", run.GetProperty("run").GetProperty("status").GetString());
        Assert.Single(run.GetProperty("timeline").EnumerateArray());
    }

    [Fact]
    public async Task Another_workspaces_member_cannot_see_runs_agents_or_keys()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        var runId = await a.StartRunAsync(externalRef: "secret-ref");

        await (await b.Owner().GetAsync($"/api/runs/{runId}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Owner().GetAsync($"/api/agents/{a.AgentId}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Owner().GetAsync($"/api/agents/{a.AgentId}/keys")).AssertProblem(HttpStatusCode.NotFound, "not_found");

        var runs = await (await b.Owner().GetAsync("/api/runs?externalRef=secret-ref")).Json();
        Assert.Empty(runs.GetProperty("items").EnumerateArray());
        var agents = await (await b.Owner().GetAsync("/api/agents")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(a.AgentId!, agents);
    }

    [Fact]
    public async Task Another_workspaces_owner_cannot_create_or_revoke_keys_of_an_agent()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        var keys = await (await a.Owner().GetAsync($"/api/agents/{a.AgentId}/keys")).Json();
        var keyId = keys[0].GetProperty("id").GetString();

        await (await b.Owner().PostJson($"/api/agents/{a.AgentId}/keys", new { })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Owner().DeleteAsync($"/api/agents/{a.AgentId}/keys/{keyId}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await b.Owner().DeleteAsync($"/api/agents/{b.AgentId}/keys/{keyId}")).AssertProblem(HttpStatusCode.NotFound, "not_found");

        await (await a.Agent().PostJson("/api/ingest/run-start", new { triggerType = "still works" })).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Another_agent_of_the_same_workspace_cannot_write_to_a_run()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await (await ws.Owner().PostJson("/api/agents", new { name = "other-agent" })).Json();
        var otherKey = await (await ws.Owner().PostJson($"/api/agents/{other.GetProperty("id").GetString()}/keys", new { })).Json();
        var runId = await ws.StartRunAsync();

        var response = await server.WithBearer(otherKey.GetProperty("key").GetString()!)
            .PostJson("/api/ingest/events", new { runId, events = new[] { new { eventType = "x", sequenceNo = 2 } } });
        await response.AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Settings_of_one_workspace_do_not_touch_another()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        await (await b.Owner().PatchJson("/api/workspace/settings", new { defaultDecision = "block", billing = new { state = "cancelled" } })).AssertStatus(HttpStatusCode.OK);

        var settings = (await (await a.Owner().GetAsync("/api/workspace")).Json()).GetProperty("settings");
        Assert.Equal("allow", settings.GetProperty("defaultDecision").GetString());
        await (await a.Agent().PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);
    }
}

public sealed class IsolationSqliteTests(SqliteServer s) : IsolationTests(s), IClassFixture<SqliteServer>;

public sealed class IsolationPostgresTests(PostgresServer s) : IsolationTests(s), IClassFixture<PostgresServer>;
