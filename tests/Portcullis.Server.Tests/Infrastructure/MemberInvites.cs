using System.Net;
using System.Text.Json;

namespace Portcullis.Server.Tests.Infrastructure;

/// <summary>Adding a member the way people join: an admin invites, the invitee accepts through the link's token.</summary>
public static class MemberInvites
{
    public const string Password = "a long enough password";

    /// <summary>Invites <paramref name="email"/>; returns the 201 answer (the invitation with its one-time token).</summary>
    public static async Task<JsonElement> InviteAsync(this HttpClient admin, string email, string role)
    {
        var invited = await admin.PostJson("/api/workspace/members", new { email, role });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        return await invited.Json();
    }

    /// <summary>Invites a new user and accepts as them; returns the accept answer (a session <c>token</c>, <c>userId</c>, <c>workspaceId</c>, <c>role</c>).</summary>
    public static async Task<JsonElement> AddMemberAsync(this HttpClient admin, HttpClient anonymous, string email, string role, string name = "member")
    {
        var invitation = await admin.InviteAsync(email, role);
        var accepted = await anonymous.PostJson("/api/invitations/accept",
            new { token = invitation.GetProperty("token").GetString(), name, password = Password });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        return await accepted.Json();
    }
}
