using Portcullis.Server.Features.Workspaces;

namespace Portcullis.Server.Features.Dashboard.Auth;

/// <summary>
/// The least role a page's POST handler needs. <see cref="RoleGate"/> refuses any state-changing
/// handler that lacks this attribute, so a forgotten check fails closed.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresRoleAttribute(Role role) : Attribute
{
    public Role Role { get; } = role;
}
