namespace Portcullis.Server.Features.Workspaces;

/// <summary>A member's role; each includes the rights of the ones below it.</summary>
public enum Role
{
    Viewer = 0,
    Approver = 1,
    Admin = 2,
    Owner = 3,
}

public static class Roles
{
    public static readonly string[] Wire = ["viewer", "approver", "admin", "owner"];

    public static string ToWire(this Role role) => Wire[(int)role];

    public static bool TryParse(string? text, out Role role)
    {
        var index = Array.IndexOf(Wire, text);
        role = index < 0 ? Role.Viewer : (Role)index;
        return index >= 0;
    }
}
