using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>How gateway tools are named: action type <c>mcp.&lt;server&gt;.&lt;tool&gt;</c>, MCP tool name <c>&lt;server&gt;__&lt;tool&gt;</c>.</summary>
public static partial class McpNames
{
    /// <summary>The provider of every gateway action: dispatch sends it to the upstream server, not to a connector.</summary>
    public const string Provider = "mcp";

    public const int MaxServerName = 32;

    private const string Prefix = "mcp.";

    /// <summary>A server name: lowercase letters, digits and underscores, starting with a letter.</summary>
    public static bool IsServerName(string name) => name.Length <= MaxServerName && ServerName().IsMatch(name);

    /// <summary>Whether an action type names a gateway tool (whether or not such a tool is registered).</summary>
    public static bool IsGatewayAction([NotNullWhen(true)] string? actionType) =>
        actionType is not null && actionType.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Splits <c>mcp.&lt;server&gt;.&lt;tool&gt;</c>; a server name holds no dot, a tool name may.</summary>
    public static bool TryParse(string actionType, [NotNullWhen(true)] out string? server, [NotNullWhen(true)] out string? tool)
    {
        server = tool = null;
        if (!IsGatewayAction(actionType))
        {
            return false;
        }

        var rest = actionType[Prefix.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == rest.Length - 1 || !IsServerName(rest[..dot]))
        {
            return false;
        }

        (server, tool) = (rest[..dot], rest[(dot + 1)..]);
        return true;
    }

    public static string ActionType(string server, string tool) => Prefix + server + "." + tool;

    /// <summary>The name an agent sees in <c>tools/list</c>; null when it would not be a valid MCP tool name.</summary>
    public static string? ToolName(string server, string tool)
    {
        var name = server + "__" + tool;
        return name.Length <= 128 && ToolNameChars().IsMatch(name) ? name : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex ServerName();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex ToolNameChars();
}
