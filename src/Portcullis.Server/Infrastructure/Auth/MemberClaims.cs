using System.Security.Claims;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>The signed-in member behind a management request.</summary>
public sealed record Member(string UserId, string WorkspaceId, Role Role, string TokenId, string Email);

public static class MemberClaims
{
    public const string Scheme = "PortcullisToken";
    public const string WorkspaceId = "portcullis:workspace";
    public const string Role = "portcullis:role";
    public const string TokenId = "portcullis:token";

    public static ClaimsPrincipal ToPrincipal(Member member, string scheme = Scheme) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, member.UserId),
        new Claim(ClaimTypes.Email, member.Email),
        new Claim(WorkspaceId, member.WorkspaceId),
        new Claim(Role, member.Role.ToWire()),
        new Claim(TokenId, member.TokenId),
    ], scheme));

    /// <summary>The member of an authenticated principal.</summary>
    public static Member GetMember(this ClaimsPrincipal principal)
    {
        Roles.TryParse(principal.FindFirstValue(Role), out var role);
        return new Member(
            principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("principal is not a member"),
            principal.FindFirstValue(WorkspaceId)!,
            role,
            principal.FindFirstValue(TokenId)!,
            principal.FindFirstValue(ClaimTypes.Email) ?? "");
    }
}
