using System.Data.Common;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.McpGateway;

/// <summary>
/// Compares what an upstream lists with what is pinned and records the difference: the one place that decides a tool's
/// status, for a refresh and for the check before a call alike.
/// </summary>
public sealed partial class McpPins(AuditTrail audit, TimeProvider time, ILogger<McpPins> logger)
{
    public sealed record Diff(List<string> Added, List<string> Changed, List<string> Restored, List<string> Removed);

    /// <summary>The status a listed definition earns: approved only when it is exactly the approved one.</summary>
    public static string StatusOf(McpToolRow pinned, string listedHash) =>
        pinned.ApprovedHash is null ? McpToolStatus.Pending
        : pinned.ApprovedHash == listedHash ? McpToolStatus.Approved
        : McpToolStatus.Changed;

    /// <summary>
    /// Applies a full listing (a refresh) to the pins of <paramref name="server"/>, inside the caller's transaction; a new
    /// tool and a newly changed one each raise a workspace alert.
    /// </summary>
    public async Task<Diff> ApplyAsync(DbConnection c, DbTransaction t, McpServerRow server, IReadOnlyList<ToolDefinition> listed)
    {
        var now = time.Now();
        var pinned = (await McpServerStore.ToolsAsync(c, server.Id, t)).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var diff = new Diff([], [], [], []);
        foreach (var tool in listed.DistinctBy(d => d.Name))
        {
            if (!pinned.Remove(tool.Name, out var pin))
            {
                await McpServerStore.InsertToolAsync(c, t, server.WorkspaceId, server.Id, tool, now);
                await McpToolAlerts.AddedAsync(c, t, server, tool.Name, time);
                diff.Added.Add(tool.Name);
            }
            else if (pin.DefinitionHash != tool.Hash)
            {
                // A pending tool whose definition moved is simply pending with the new one: there was no approval to lose.
                var status = await RecordListedAsync(c, t, server, pin, tool, Actor.System);
                if (status == McpToolStatus.Changed && pin.Status != McpToolStatus.Changed)
                {
                    await McpToolAlerts.ChangedAsync(c, t, server, tool.Name, time);
                }

                (status == McpToolStatus.Approved ? diff.Restored : status == McpToolStatus.Changed ? diff.Changed : null)?.Add(tool.Name);
            }
        }

        foreach (var gone in pinned.Keys)
        {
            await McpServerStore.DeleteToolAsync(c, t, server.Id, gone);
            diff.Removed.Add(gone);
        }

        await McpServerStore.TouchAsync(c, t, server.Id, now);
        return diff;
    }

    /// <summary>
    /// Records a definition that differs from the pinned one; a tool that was approved becomes <c>changed</c>, which is
    /// audited (<c>mcp.tool_changed</c>) and logged. Returns the new status.
    /// </summary>
    public async Task<string> RecordListedAsync(DbConnection c, DbTransaction t, McpServerRow server, McpToolRow pinned, ToolDefinition listed, Actor actor)
    {
        var status = StatusOf(pinned, listed.Hash);
        await McpServerStore.UpdateToolAsync(c, t, server.Id, listed, status, time.Now());
        if (status == McpToolStatus.Changed && pinned.Status != McpToolStatus.Changed)
        {
            await audit.AppendAsync(c, t, server.WorkspaceId, actor, "mcp.tool_changed", "mcp_server", server.Id, new
            {
                server = server.Name,
                tool = listed.Name,
                approvedHash = pinned.ApprovedHash,
                definitionHash = listed.Hash,
            });
            LogToolChanged(logger, server.Name, listed.Name, server.WorkspaceId);
        }

        return status;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "MCP server {Server} changed the definition of its approved tool {Tool} (workspace {WorkspaceId}): calls are blocked until an admin approves it again")]
    private static partial void LogToolChanged(ILogger logger, string server, string tool, string workspaceId);
}
