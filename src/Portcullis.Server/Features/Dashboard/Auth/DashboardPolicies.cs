using Microsoft.AspNetCore.Authorization;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Dashboard.Auth;

/// <summary>The dashboard's role policies: the API's role ladder, authenticated by the session cookie.</summary>
public static class DashboardPolicies
{
    public const string Viewer = "dashboard:viewer";
    public const string Approver = "dashboard:approver";
    public const string Admin = "dashboard:admin";
    public const string Owner = "dashboard:owner";

    public static void Add(AuthorizationOptions options)
    {
        Add(options, Viewer, Role.Viewer);
        Add(options, Approver, Role.Approver);
        Add(options, Admin, Role.Admin);
        Add(options, Owner, Role.Owner);
    }

    private static void Add(AuthorizationOptions options, string name, Role least) =>
        RolePolicies.AddRolePolicy(options, name, least, SessionCookie.Scheme);
}
