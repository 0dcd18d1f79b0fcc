using Microsoft.AspNetCore.Authorization;
using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>Authorization policies named after the least role they admit.</summary>
public static class RolePolicies
{
    public const string Viewer = "role:viewer";
    public const string Approver = "role:approver";
    public const string Admin = "role:admin";
    public const string Owner = "role:owner";

    public static void Add(AuthorizationOptions options)
    {
        Add(options, Viewer, Role.Viewer);
        Add(options, Approver, Role.Approver);
        Add(options, Admin, Role.Admin);
        Add(options, Owner, Role.Owner);
    }

    private static void Add(AuthorizationOptions options, string name, Role least) => AddRolePolicy(options, name, least, MemberClaims.Scheme);

    /// <summary>A policy admitting members of at least <paramref name="least"/>, authenticated by <paramref name="scheme"/>.</summary>
    public static void AddRolePolicy(AuthorizationOptions options, string name, Role least, string scheme) =>
        options.AddPolicy(name, policy => policy
            .AddAuthenticationSchemes(scheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(ctx => Roles.TryParse(ctx.User.FindFirst(MemberClaims.Role)?.Value, out var role) && role >= least));
}
