using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Workspaces;

/// <summary>Adding a member by email is an invitation: a one-time link, bound to the email, that expires and can be revoked.</summary>
public abstract class InvitationTests(ServerFixture server)
{
    private static string Email(string who) => $"{who}-{Guid.NewGuid():n}@example.com";

    private static async Task<List<string>> MemberEmailsAsync(TestWorkspace ws) =>
        (await (await ws.Owner().GetAsync("/api/workspace/members")).Json()).EnumerateArray().Select(m => m.GetProperty("email").GetString()!).ToList();

    private static async Task<string> OwnerEmailAsync(TestWorkspace ws) => (await MemberEmailsAsync(ws))[0];

    private Task<HttpResponseMessage> AcceptAsync(HttpClient client, JsonElement invitation, string? name = "New person", string? password = MemberInvites.Password) =>
        client.PostJson("/api/invitations/accept", new { token = invitation.GetProperty("token").GetString(), name, password });

    private async Task<string> StatusAsync(TestWorkspace ws, string id) =>
        (await (await ws.Owner().GetAsync("/api/workspace/invitations")).Json()).EnumerateArray()
            .Single(i => i.GetProperty("id").GetString() == id).GetProperty("status").GetString()!;

    [Fact]
    public async Task Adding_an_existing_user_of_another_workspace_adds_nobody_and_discloses_no_user_id()
    {
        // The probe of issue 13: before, this answered 201 with the stranger's user id and made them a member at once.
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        var stranger = await OwnerEmailAsync(b);
        var strangerId = (await (await b.Owner().GetAsync("/api/workspace/members")).Json())[0].GetProperty("userId").GetString()!;

        var answer = await a.Owner().PostJson("/api/workspace/members", new { email = stranger, name = "x", password = "ignored password", role = "admin" });

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.DoesNotContain(strangerId, text);
        Assert.DoesNotContain("userId", text);
        var invitation = JsonDocument.Parse(text).RootElement;
        Assert.Equal(("pending", "admin", stranger), (invitation.GetProperty("status").GetString(), invitation.GetProperty("role").GetString(),
            invitation.GetProperty("email").GetString()));
        Assert.StartsWith("inv_", invitation.GetProperty("id").GetString());
        Assert.StartsWith("piv_", invitation.GetProperty("token").GetString());
        Assert.Contains("/invitations/accept?token=piv_", invitation.GetProperty("acceptUrl").GetString());
        Assert.True(DateTimeOffset.Parse(invitation.GetProperty("expiresAt").GetString()!) > DateTimeOffset.UtcNow.AddDays(6));
        Assert.DoesNotContain(stranger, await MemberEmailsAsync(a));
        Assert.Single((await (await b.Owner().GetAsync("/api/workspaces")).Json()).EnumerateArray());
        Assert.Contains("member.invited", (await (await a.Owner().GetAsync("/api/audit")).Json()).ToString());
    }

    [Fact]
    public async Task A_new_user_sets_name_and_password_through_the_link_once()
    {
        var a = await server.NewWorkspaceAsync();
        var email = Email("new");
        var invitation = await a.Owner().InviteAsync(email, "approver");
        var id = invitation.GetProperty("id").GetString()!;
        Assert.Equal("pending", await StatusAsync(a, id));

        await (await AcceptAsync(server.Anonymous(), invitation, password: "short")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        var accepted = await AcceptAsync(server.Anonymous(), invitation);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var session = await accepted.Json();
        Assert.Equal((a.WorkspaceId, "approver", email), (session.GetProperty("workspaceId").GetString(), session.GetProperty("role").GetString(),
            session.GetProperty("email").GetString()));
        await (await server.WithBearer(session.GetProperty("token").GetString()!).GetAsync("/api/workspace")).AssertStatus(HttpStatusCode.OK);
        var login = await server.Anonymous().PostJson("/api/auth/login", new { email, password = MemberInvites.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("accepted", await StatusAsync(a, id));
        Assert.Contains("invitation.accepted", (await (await a.Owner().GetAsync("/api/audit")).Json()).ToString());

        // Single use: the same link again changes nothing.
        await (await AcceptAsync(server.Anonymous(), invitation, password: "another long password")).AssertProblem(HttpStatusCode.Gone, "invitation_used");
        await (await server.Anonymous().PostJson("/api/auth/login", new { email, password = "another long password" })).AssertStatus(HttpStatusCode.Unauthorized);
        Assert.Equal(2, (await MemberEmailsAsync(a)).Count);
    }

    [Fact]
    public async Task An_existing_user_must_sign_in_as_the_invited_email_to_accept()
    {
        var a = await server.NewWorkspaceAsync();
        var b = await server.NewWorkspaceAsync();
        var c = await server.NewWorkspaceAsync();
        var invitation = await a.Owner().InviteAsync(await OwnerEmailAsync(b), "viewer");

        // Anonymous, a password cannot take over the account; signed in as someone else, it is refused too.
        await (await AcceptAsync(server.Anonymous(), invitation)).AssertProblem(HttpStatusCode.Unauthorized, "sign_in_required");
        await (await AcceptAsync(c.Owner(), invitation)).AssertProblem(HttpStatusCode.Forbidden, "invitation_wrong_account");
        await (await AcceptAsync(server.WithBearer("pat_not_a_real_token_at_all_0000"), invitation)).AssertStatus(HttpStatusCode.Unauthorized);
        Assert.Equal("pending", await StatusAsync(a, invitation.GetProperty("id").GetString()!));
        Assert.Single(await MemberEmailsAsync(a));

        var accepted = await AcceptAsync(b.Owner(), invitation, name: null, password: null);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("viewer", (await accepted.Json()).GetProperty("role").GetString());
        Assert.Contains(await OwnerEmailAsync(b), await MemberEmailsAsync(a));
        var theirs = (await (await b.Owner().GetAsync("/api/workspaces")).Json()).EnumerateArray().ToList();
        Assert.Equal([("owner", true), ("viewer", false)], theirs.Select(w => (w.GetProperty("role").GetString(), w.GetProperty("current").GetBoolean())));
    }

    [Fact]
    public async Task An_expired_or_revoked_link_or_an_unknown_token_is_refused_and_changes_nothing()
    {
        var a = await server.NewWorkspaceAsync();
        var expired = await a.Owner().InviteAsync(Email("late"), "viewer");
        var revoked = await a.Owner().InviteAsync(Email("revoked"), "viewer");
        var database = server.Factory.Services.GetRequiredService<Database>();
        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE invitations SET expires_at = 1 WHERE id = @id", new { id = expired.GetProperty("id").GetString() }, t));
        var revokedId = revoked.GetProperty("id").GetString()!;

        await (await a.Owner().DeleteAsync($"/api/workspace/invitations/{revokedId}")).AssertStatus(HttpStatusCode.NoContent);

        await (await AcceptAsync(server.Anonymous(), expired)).AssertProblem(HttpStatusCode.Gone, "invitation_expired");
        await (await AcceptAsync(server.Anonymous(), revoked)).AssertProblem(HttpStatusCode.Gone, "invitation_revoked");
        await (await server.Anonymous().PostJson("/api/invitations/accept", new { token = "piv_0000000000000000000000000000", name = "x", password = "long enough password" }))
            .AssertProblem(HttpStatusCode.NotFound, "not_found");
        await (await a.Owner().DeleteAsync($"/api/workspace/invitations/{revokedId}")).AssertProblem(HttpStatusCode.Conflict, "conflict");
        await (await a.Owner().DeleteAsync("/api/workspace/invitations/inv_nope")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        Assert.Single(await MemberEmailsAsync(a));
        Assert.Equal(["revoked", "expired"], (await (await a.Owner().GetAsync("/api/workspace/invitations")).Json()).EnumerateArray().Select(i => i.GetProperty("status").GetString()));
        Assert.Empty((await (await a.Owner().GetAsync("/api/workspace/invitations?status=pending")).Json()).EnumerateArray());
        Assert.Contains("invitation.revoked", (await (await a.Owner().GetAsync("/api/audit")).Json()).ToString());
        var users = await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE email LIKE 'late-%' OR email LIKE 'revoked-%'"));
        Assert.Equal(0, users);
    }

    [Fact]
    public async Task A_pending_invitation_or_a_member_is_not_invited_twice_and_the_token_is_only_stored_hashed()
    {
        var a = await server.NewWorkspaceAsync();
        var email = Email("twice");
        var first = await a.Owner().InviteAsync(email, "viewer");

        await (await a.Owner().PostJson("/api/workspace/members", new { email = email.ToUpperInvariant(), role = "viewer" })).AssertProblem(HttpStatusCode.Conflict, "conflict");
        await (await a.Owner().PostJson("/api/workspace/members", new { email = await OwnerEmailAsync(a), role = "viewer" })).AssertProblem(HttpStatusCode.Conflict, "conflict");
        var viewer = server.WithBearer(await a.MemberTokenAsync("viewer"));
        await (await viewer.GetAsync("/api/workspace/invitations")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");

        var token = first.GetProperty("token").GetString()!;
        var stored = await server.Factory.Services.GetRequiredService<Database>().ReadAsync(c => c.QueryAsync<string>(
            "SELECT lookup FROM invitations WHERE id = @id", new { id = first.GetProperty("id").GetString() }));
        Assert.Equal(token[..12], stored.Single());
    }
}

public sealed class InvitationSqliteTests(SqliteServer s) : InvitationTests(s), IClassFixture<SqliteServer>;

public sealed class InvitationPostgresTests(PostgresServer s) : InvitationTests(s), IClassFixture<PostgresServer>;
