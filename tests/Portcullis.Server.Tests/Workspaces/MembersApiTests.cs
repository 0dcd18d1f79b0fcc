using System.Net;
using System.Text.Json;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Workspaces;

public abstract class MembersApiTests(ServerFixture server)
{
    [Fact]
    public async Task Members_are_listed_in_the_order_they_joined_with_their_current_role()
    {
        var ws = await server.NewWorkspaceAsync();
        var email = $"viewer-{Guid.NewGuid():n}@example.com";
        var added = await ws.Owner().AddMemberAsync(server.Anonymous(), email, "viewer", name: "Vee");
        var userId = added.GetProperty("userId").GetString()!;

        await (await ws.Owner().PatchJson($"/api/workspace/members/{userId}", new { role = "approver" })).AssertStatus(HttpStatusCode.NoContent);

        var members = (await (await ws.Owner().GetAsync("/api/workspace/members")).Json()).EnumerateArray().ToList();
        Assert.Equal(["owner", "approver"], members.Select(m => m.GetProperty("role").GetString()));
        var member = members[1];
        Assert.Equal(userId, member.GetProperty("userId").GetString());
        Assert.Equal(email, member.GetProperty("email").GetString());
        Assert.Equal("Vee", member.GetProperty("name").GetString());
        Assert.True(DateTimeOffset.TryParse(member.GetProperty("joinedAt").GetString(), out _));
    }

    [Fact]
    public async Task The_last_owner_keeps_the_owner_role()
    {
        var ws = await server.NewWorkspaceAsync();
        var members = await (await ws.Owner().GetAsync("/api/workspace/members")).Json();
        var ownerId = members.EnumerateArray().Single().GetProperty("userId").GetString();

        await (await ws.Owner().PatchJson($"/api/workspace/members/{ownerId}", new { role = "admin" })).AssertProblem(HttpStatusCode.Conflict, "conflict");

        var after = await (await ws.Owner().GetAsync("/api/workspace/members")).Json();
        Assert.Equal("owner", after.EnumerateArray().Single().GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_removed_member_s_token_stops_working_at_once_and_the_rules_hold()
    {
        var ws = await server.NewWorkspaceAsync();
        var approverToken = await ws.MemberTokenAsync("approver");
        var adminToken = await ws.MemberTokenAsync("admin");
        var members = (await (await ws.Owner().GetAsync("/api/workspace/members")).Json()).EnumerateArray().ToList();
        string IdOf(string role) => members.Single(m => m.GetProperty("role").GetString() == role).GetProperty("userId").GetString()!;
        var admin = server.WithBearer(adminToken);
        Assert.Equal(HttpStatusCode.OK, (await server.WithBearer(approverToken).GetAsync("/api/workspace/members")).StatusCode);

        await (await admin.DeleteAsync($"/api/workspace/members/{IdOf("owner")}")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.DeleteAsync($"/api/workspace/members/{IdOf("admin")}")).AssertProblem(HttpStatusCode.Conflict, "conflict");
        await (await admin.DeleteAsync($"/api/workspace/members/usr_nobody")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await admin.DeleteAsync($"/api/workspace/members/{IdOf("approver")}")).AssertStatus(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.WithBearer(approverToken).GetAsync("/api/workspace/members")).StatusCode);
        var after = (await (await ws.Owner().GetAsync("/api/workspace/members")).Json()).EnumerateArray().Select(m => m.GetProperty("role").GetString());
        Assert.Equal(["owner", "admin"], after);
        var audit = await (await ws.Owner().GetAsync("/api/audit?limit=5")).Json();
        Assert.Contains("member.removed", audit.ToString());
    }

    [Fact]
    public async Task Changing_the_role_of_a_stranger_is_not_found()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        var stranger = (await (await other.Owner().GetAsync("/api/workspace/members")).Json()).EnumerateArray().Single().GetProperty("userId").GetString();

        await (await ws.Owner().PatchJson($"/api/workspace/members/{stranger}", new { role = "viewer" })).AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await ws.Owner().DeleteAsync($"/api/workspace/members/{stranger}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        JsonElement theirs = await (await other.Owner().GetAsync("/api/workspace/members")).Json();
        Assert.Equal("owner", theirs.EnumerateArray().Single().GetProperty("role").GetString());
    }
}

public sealed class MembersApiSqliteTests(SqliteServer s) : MembersApiTests(s), IClassFixture<SqliteServer>;

public sealed class MembersApiPostgresTests(PostgresServer s) : MembersApiTests(s), IClassFixture<PostgresServer>;
