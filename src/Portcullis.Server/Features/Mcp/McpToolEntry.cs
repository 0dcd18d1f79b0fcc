using System.Text.Json;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// An MCP tool as a source offers it: what <c>tools/list</c> shows (name, title, description, input schema,
/// annotations) and what <c>tools/call</c> requests (<see cref="ActionType"/>, and <see cref="Provider"/> when known) — or,
/// for a workflow, which one it starts (<see cref="WorkflowId"/>; every step is then its own action request).
/// </summary>
public sealed record McpToolEntry(
    string Name,
    string? Title,
    string Description,
    JsonElement InputSchema,
    McpToolHints Hints,
    string ActionType,
    string? Provider = null,
    string? WorkflowId = null);

/// <summary>The MCP tool annotations (<c>readOnlyHint</c>, <c>destructiveHint</c>, <c>idempotentHint</c>, <c>openWorldHint</c>); null leaves one out.</summary>
public sealed record McpToolHints(bool? ReadOnly = null, bool? Destructive = null, bool? Idempotent = null, bool? OpenWorld = null)
{
    public static readonly McpToolHints None = new();
}
