using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Workspaces.Invitations;

/// <summary>A row of <c>invitations</c>, without its token hash.</summary>
public sealed class InvitationRow
{
    public const string Columns =
        "id AS Id, workspace_id AS WorkspaceId, email AS Email, role AS Role, created_at AS CreatedAt, expires_at AS ExpiresAt, " +
        "accepted_at AS AcceptedAt, revoked_at AS RevokedAt";

    public string Id { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string Email { get; init; } = "";
    public string Role { get; init; } = "";
    public long CreatedAt { get; init; }
    public long ExpiresAt { get; init; }
    public long? AcceptedAt { get; init; }
    public long? RevokedAt { get; init; }

    /// <summary><c>pending</c>, <c>accepted</c>, <c>revoked</c> or <c>expired</c> at <paramref name="nowMs"/>.</summary>
    public string StatusAt(long nowMs) =>
        AcceptedAt is not null ? InvitationStatus.Accepted
        : RevokedAt is not null ? InvitationStatus.Revoked
        : ExpiresAt <= nowMs ? InvitationStatus.Expired
        : InvitationStatus.Pending;

    public InvitationDto ToDto(long nowMs) =>
        new(Id, Email, Role, StatusAt(nowMs), Times.ToIso(CreatedAt), Times.ToIso(ExpiresAt));
}

public static class InvitationStatus
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Revoked = "revoked";
    public const string Expired = "expired";
}

/// <summary>An invitation as the API shows it: never the token, never a user id.</summary>
public sealed record InvitationDto(string Id, string Email, string Role, string Status, string CreatedAt, string ExpiresAt);

/// <summary>The answer to inviting: the invitation plus its one-time token and link, shown this once.</summary>
public sealed record CreatedInvitationDto(string Id, string Email, string Role, string Status, string CreatedAt, string ExpiresAt,
    string Token, string AcceptUrl)
{
    public static CreatedInvitationDto Of(InvitationDto i, string token, string baseUrl) =>
        new(i.Id, i.Email, i.Role, i.Status, i.CreatedAt, i.ExpiresAt, token, InvitationLinks.AcceptUrl(baseUrl, token));
}

public static class InvitationLinks
{
    /// <summary>The dashboard page an invitee opens.</summary>
    public const string AcceptPath = "/invitations/accept";

    public static string AcceptUrl(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}{AcceptPath}?token={Uri.EscapeDataString(token)}";
}
