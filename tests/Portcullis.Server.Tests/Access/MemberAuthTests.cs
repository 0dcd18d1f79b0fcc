using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Access;

public abstract class MemberAuthTests(ServerFixture server)
{
    [Fact]
    public async Task The_seeded_owner_signs_in_and_the_session_token_opens_the_management_api()
    {
        var login = await server.Anonymous().PostJson("/api/auth/login", new { email = Seed.OwnerEmail.ToUpperInvariant(), password = Seed.OwnerPassword });
        await login.AssertStatus(HttpStatusCode.OK);
        var body = await login.Json();
        var token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("pcs_", token);
        Assert.Equal("owner", body.GetProperty("role").GetString());

        var workspace = await server.WithBearer(token).GetAsync("/api/workspace");
        await workspace.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Demo workspace", (await workspace.Json()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_401()
    {
        var wrong = await server.Anonymous().PostJson("/api/auth/login", new { email = Seed.OwnerEmail, password = "nope nope nope" });
        var unknown = await server.Anonymous().PostJson("/api/auth/login", new { email = "nobody@example.com", password = "nope nope nope" });
        var a = await wrong.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        var b = await unknown.AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Logout_revokes_the_session()
    {
        var login = await (await server.Anonymous().PostJson("/api/auth/login", new { email = Seed.OwnerEmail, password = Seed.OwnerPassword })).Json();
        var client = server.WithBearer(login.GetProperty("token").GetString()!);
        await (await client.PostAsync("/api/auth/logout", null)).AssertStatus(HttpStatusCode.NoContent);
        await (await client.GetAsync("/api/workspace")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Personal_access_tokens_are_shown_once_listed_without_secret_and_revocable()
    {
        var ws = await server.NewWorkspaceAsync();
        var created = await ws.Owner().PostJson("/api/auth/tokens", new { name = "ci" });
        await created.AssertStatus(HttpStatusCode.Created);
        var body = await created.Json();
        var token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("pat_", token);
        await (await server.WithBearer(token).GetAsync("/api/agents")).AssertStatus(HttpStatusCode.OK);

        var listed = await (await ws.Owner().GetAsync("/api/auth/tokens")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, listed);
        Assert.Contains("\"ci\"", listed);

        await (await ws.Owner().DeleteAsync($"/api/auth/tokens/{body.GetProperty("id").GetString()}")).AssertStatus(HttpStatusCode.NoContent);
        await (await server.WithBearer(token).GetAsync("/api/agents")).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Viewers_read_but_cannot_create_agents_or_keys()
    {
        var ws = await server.NewWorkspaceAsync();
        var viewer = server.WithBearer(await ws.MemberTokenAsync("viewer"));
        await (await viewer.GetAsync("/api/agents")).AssertStatus(HttpStatusCode.OK);
        await (await viewer.PostJson("/api/agents", new { name = "sneaky" })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.PostJson($"/api/agents/{ws.AgentId}/keys", new { })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.PatchJson("/api/workspace/settings", new { defaultDecision = "block" })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task An_admin_cannot_grant_owner()
    {
        var ws = await server.NewWorkspaceAsync();
        var admin = server.WithBearer(await ws.MemberTokenAsync("admin"));
        var response = await admin.PostJson("/api/workspace/members", new { email = "x@example.com", name = "x", password = "long enough password", role = "owner" });
        await response.AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Login_validates_its_fields()
    {
        var response = await server.Anonymous().PostJson("/api/auth/login", new { email = 3 });
        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }
}

public sealed class MemberAuthSqliteTests(SqliteServer s) : MemberAuthTests(s), IClassFixture<SqliteServer>;

public sealed class MemberAuthPostgresTests(PostgresServer s) : MemberAuthTests(s), IClassFixture<PostgresServer>;
