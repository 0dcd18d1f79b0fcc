using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Workspaces;

/// <summary><c>/api/workspaces</c>: creating a workspace, listing mine, switching, and what stays in each.</summary>
public abstract class WorkspacesApiTests(ServerFixture server)
{
    private static async Task<List<JsonElement>> MineAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/workspaces")).Json()).EnumerateArray().ToList();

    private async Task<HttpClient> SwitchAsync(HttpClient client, string workspaceId)
    {
        var switched = await client.PostAsync($"/api/workspaces/{workspaceId}/switch", null);
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        var body = await switched.Json();
        Assert.Equal(workspaceId, body.GetProperty("workspaceId").GetString());
        return server.WithBearer(body.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task A_member_creates_a_workspace_owns_it_lists_both_and_switches_into_an_empty_usable_one()
    {
        var a = await server.NewWorkspaceAsync();

        var created = await a.Owner().PostJson("/api/workspaces", new { name = "  Second team " });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ws = await created.Json();
        var id = ws.GetProperty("id").GetString()!;
        Assert.StartsWith("ws_", id);
        Assert.Equal(("Second team", "owner"), (ws.GetProperty("name").GetString(), ws.GetProperty("role").GetString()));
        Assert.Equal($"/api/workspaces/{id}", created.Headers.Location?.OriginalString);
        var mine = await MineAsync(a.Owner());
        Assert.Equal([a.WorkspaceId, id], mine.Select(w => w.GetProperty("id").GetString()));
        Assert.Equal([true, false], mine.Select(w => w.GetProperty("current").GetBoolean()));
        Assert.All(mine, w => Assert.Equal("owner", w.GetProperty("role").GetString()));

        var inB = await SwitchAsync(a.Owner(), id);
        var current = await (await inB.GetAsync("/api/workspace")).Json();
        Assert.Equal(("Second team", "owner", "allow", "demo"), (current.GetProperty("name").GetString(), current.GetProperty("role").GetString(),
            current.GetProperty("settings").GetProperty("defaultDecision").GetString(), current.GetProperty("settings").GetProperty("connectorMode").GetString()));
        Assert.Empty((await (await inB.GetAsync("/api/agents")).Json()).EnumerateArray());
        Assert.Empty((await (await inB.GetAsync("/api/policies")).Json()).EnumerateArray());
        // Usable: the owner can create an agent and a policy there at once.
        await (await inB.PostJson("/api/agents", new { name = "b-agent" })).AssertStatus(HttpStatusCode.Created);
        Assert.Contains("workspace.created", (await (await inB.GetAsync("/api/audit")).Json()).ToString());
        Assert.Equal(id, (await MineAsync(inB)).Single(w => w.GetProperty("current").GetBoolean()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_nameless_workspace_is_refused_and_nothing_is_created()
    {
        var a = await server.NewWorkspaceAsync();

        var refused = await a.Owner().PostJson("/api/workspaces", new { name = "   " });
        var wrongType = await a.Owner().PostJson("/api/workspaces", new { name = 7 });

        Assert.True((await refused.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("name", out _));
        await wrongType.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Single(await MineAsync(a.Owner()));
        await (await server.Anonymous().PostJson("/api/workspaces", new { name = "x" })).AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task After_a_switch_only_the_new_workspace_is_visible_and_a_non_member_cannot_switch_in()
    {
        var a = await server.NewWorkspaceAsync();
        var runInA = await a.StartRunAsync();
        var viewerOfA = server.WithBearer(await a.MemberTokenAsync("viewer"));
        var b = (await (await a.Owner().PostJson("/api/workspaces", new { name = "B" })).Json()).GetProperty("id").GetString()!;
        var inB = await SwitchAsync(a.Owner(), b);

        await (await inB.GetAsync($"/api/runs/{runInA}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        Assert.DoesNotContain(runInA, (await (await inB.GetAsync("/api/runs")).Json()).ToString());
        Assert.DoesNotContain(a.AgentId!, (await (await inB.GetAsync("/api/agents")).Json()).ToString());

        // A member of A only: B is not theirs to see or enter, and answers the same as a workspace that does not exist.
        Assert.DoesNotContain(b, (await (await viewerOfA.GetAsync("/api/workspaces")).Json()).ToString());
        await (await viewerOfA.PostAsync($"/api/workspaces/{b}/switch", null)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await viewerOfA.PostAsync("/api/workspaces/ws_nope/switch", null)).AssertProblem(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await viewerOfA.GetAsync($"/api/runs/{runInA}")).StatusCode);

        // Once invited to B and accepted, the same user switches in and sees B's agents, not A's runs.
        var viewerEmail = (await (await viewerOfA.GetAsync("/api/workspace/members")).Json()).EnumerateArray()
            .Single(m => m.GetProperty("role").GetString() == "viewer").GetProperty("email").GetString()!;
        var invitation = await inB.InviteAsync(viewerEmail, "viewer");
        await (await viewerOfA.PostJson("/api/invitations/accept", new { token = invitation.GetProperty("token").GetString() })).AssertStatus(HttpStatusCode.OK);
        var viewerInB = await SwitchAsync(viewerOfA, b);
        Assert.Contains("b-only", await CreateAgentAndListAsync(inB, viewerInB));
        await (await viewerInB.GetAsync($"/api/runs/{runInA}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Switching_ends_the_calling_session_but_leaves_an_access_token_working()
    {
        var a = await server.NewWorkspaceAsync();
        var session = server.WithBearer(await a.MemberTokenAsync("admin"));
        var b = (await (await session.PostJson("/api/workspaces", new { name = "Admin's own" })).Json()).GetProperty("id").GetString()!;

        await SwitchAsync(session, b);
        var pat = await SwitchAsync(a.Owner(), (await (await a.Owner().PostJson("/api/workspaces", new { name = "Owner's own" })).Json()).GetProperty("id").GetString()!);

        await (await session.GetAsync("/api/workspace")).AssertStatus(HttpStatusCode.Unauthorized);
        await (await a.Owner().GetAsync("/api/workspace")).AssertStatus(HttpStatusCode.OK);
        await (await pat.GetAsync("/api/workspace")).AssertStatus(HttpStatusCode.OK);
    }

    private static async Task<string> CreateAgentAndListAsync(HttpClient owner, HttpClient viewer)
    {
        await (await owner.PostJson("/api/agents", new { name = "b-only" })).AssertStatus(HttpStatusCode.Created);
        return (await (await viewer.GetAsync("/api/agents")).Json()).ToString();
    }
}

public sealed class WorkspacesApiSqliteTests(SqliteServer s) : WorkspacesApiTests(s), IClassFixture<SqliteServer>;

public sealed class WorkspacesApiPostgresTests(PostgresServer s) : WorkspacesApiTests(s), IClassFixture<PostgresServer>;
