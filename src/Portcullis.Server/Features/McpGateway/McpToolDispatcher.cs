using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Portcullis.Connectors;
using Portcullis.Server.Features.Audit;
using Portcullis.Storage;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>Error codes of a gateway execution, beside the connectors' own.</summary>
public static class McpErrorCodes
{
    public const string ToolNotApproved = "tool_not_approved";
    public const string ToolDefinitionChanged = "tool_definition_changed";
    public const string NotLinked = McpActionCheck.NotLinked;
    public const string ServerNotFound = "mcp_server_not_found";
    public const string UpstreamUnavailable = "mcp_upstream_unavailable";
    public const string UpstreamToolError = "upstream_tool_error";

    /// <summary>The refusals of the rug-pull defence: each raises an alert on the run, besides the audit entry.</summary>
    public static bool IsPinRefusal(string? code) => code is ToolNotApproved or ToolDefinitionChanged;
}

/// <summary>
/// Sends an allowed gateway action to its upstream server, the dispatch path for provider <c>mcp</c>. Right before the call it
/// lists the tools again and compares the tool's definition with the approved hash (rug-pull defence): a tool that is not
/// approved, or whose definition changed, fails with <c>tool_not_approved</c> / <c>tool_definition_changed</c>, audited,
/// and is never sent. Never throws for upstream trouble: failures come back as a failed <see cref="ConnectorResult"/>.
/// </summary>
public sealed class McpToolDispatcher(Database database, McpConnections connections, McpPins pins, AuditTrail audit, TimeProvider time)
{
    public async Task<ConnectorResult> CallAsync(string workspaceId, string agentId, string actionRequestId, string actionType, JsonElement payload,
        CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var (server, tool, linked) = await LoadAsync(workspaceId, agentId, actionType, ct);
        if (server is null)
        {
            return Fail(started, $"no MCP server is registered for `{actionType}`", McpErrorCodes.ServerNotFound, 0);
        }

        if (!linked)
        {
            return Fail(started, $"this agent is not linked to MCP server `{server.Name}`", McpErrorCodes.NotLinked, 0);
        }

        if (tool?.ApprovedHash is null)
        {
            var name = tool?.Name ?? actionType;
            await RefusedAsync(server, name, actionRequestId, McpErrorCodes.ToolNotApproved, null);
            return Fail(started, $"tool `{name}` of MCP server `{server.Name}` is not approved: an admin must approve it first", McpErrorCodes.ToolNotApproved, 0);
        }

        var sent = false;
        try
        {
            await using var client = await connections.OpenAsync(server, ct);
            var listed = (await McpUpstream.ListToolsAsync(client, ct)).FirstOrDefault(d => d.Name == tool.Name);
            if (listed?.Hash != tool.ApprovedHash)
            {
                await RefusedAsync(server, tool.Name, actionRequestId, McpErrorCodes.ToolDefinitionChanged, (tool, listed));
                return Fail(started, ChangedMessage(server.Name, tool.Name, listed is null), McpErrorCodes.ToolDefinitionChanged, 0);
            }

            sent = true;
            var result = await client.CallToolAsync(new CallToolRequestParams { Name = tool.Name, Arguments = Arguments(payload) }, ct);
            return Answer(started, result);
        }
        catch (Exception ex) when (McpUpstream.IsUpstreamFailure(ex))
        {
            return Fail(started, McpUpstream.Describe(ex), McpErrorCodes.UpstreamUnavailable, sent ? 1 : 0);
        }
    }

    private async Task<(McpServerRow? Server, McpToolRow? Tool, bool Linked)> LoadAsync(string workspaceId, string agentId, string actionType, CancellationToken ct)
    {
        if (!McpNames.TryParse(actionType, out var serverName, out var toolName))
        {
            return (null, null, false);
        }

        await using var c = await database.OpenAsync(ct);
        if (await McpServerStore.FindByNameAsync(c, workspaceId, serverName) is not { } server)
        {
            return (null, null, false);
        }

        return (server, await McpServerStore.FindToolAsync(c, server.Id, toolName), await McpServerStore.IsLinkedAsync(c, server.Id, agentId));
    }

    // The refusal is audited in its own transaction (with the changed definition recorded on the pin), before the
    // execution is written: the change is on record even if this process dies before completing the job.
    private Task RefusedAsync(McpServerRow server, string tool, string actionRequestId, string code, (McpToolRow Pinned, ToolDefinition? Listed)? change) =>
        database.WriteAsync(async (c, t) =>
        {
            if (change is { Listed: { } listed } && await McpServerStore.FindToolAsync(c, server.Id, tool, t) is { } pinned && pinned.DefinitionHash != listed.Hash)
            {
                await pins.RecordListedAsync(c, t, server, pinned, listed, Actor.System);
            }

            await audit.AppendAsync(c, t, server.WorkspaceId, Actor.System, "mcp.call_refused", "action_request", actionRequestId, new
            {
                server = server.Name,
                tool,
                code,
                approvedHash = change?.Pinned.ApprovedHash,
                listedHash = change?.Listed?.Hash,
            });
        }, CancellationToken.None);

    private static string ChangedMessage(string server, string tool, bool gone) => gone
        ? $"tool `{tool}` is no longer listed by MCP server `{server}`; it was not called"
        : $"the definition of tool `{tool}` of MCP server `{server}` changed since it was approved; it was not called: an admin must review and approve it again";

    private static Dictionary<string, JsonElement> Arguments(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object ? payload.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()) : [];

    private ConnectorResult Answer(DateTimeOffset started, CallToolResult result)
    {
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        var payload = result.StructuredContent is { } structured
            ? JsonSerializer.SerializeToElement(structured)
            : JsonSerializer.SerializeToElement(new { text });
        if (result.IsError == true)
        {
            var message = text.Length > 2000 ? text[..2000] + "…" : text;
            return new ConnectorResult(false, payload, new ConnectorError($"the upstream tool failed: {message}", null, McpErrorCodes.UpstreamToolError, null),
                1, false, started, time.GetUtcNow());
        }

        return new ConnectorResult(true, payload, null, 1, false, started, time.GetUtcNow());
    }

    private ConnectorResult Fail(DateTimeOffset started, string message, string code, int attempts) =>
        new(false, null, new ConnectorError(message, null, code, null), attempts, false, started, time.GetUtcNow());
}
