using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The tools an agent sees: the union of every <see cref="IMcpToolSource"/> (the first source to offer a name keeps
/// it), less the tools a block policy always blocks for the agent, plus the server's own tools.
/// </summary>
public sealed class McpToolCatalog(IEnumerable<IMcpToolSource> sources, BlockedTools blocked)
{
    /// <summary>Names of the server's own tools start with this; no source may use it.</summary>
    public const string ReservedPrefix = "portcullis_";

    private readonly IMcpToolSource[] _sources = [.. sources];

    public async Task<IReadOnlyList<McpToolEntry>> ListAsync(AgentIdentity agent, CancellationToken ct)
    {
        var lists = await Task.WhenAll(_sources.Select(s => s.ListAsync(agent, ct)));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var union = lists.SelectMany(l => l).Where(t => !t.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal) && seen.Add(t.Name)).ToList();
        var visible = await blocked.VisibleAsync(agent, union, ct);
        return visible.Any(t => t.WorkflowId is not null)
            ? [.. visible, WaitForApprovalTool.Entry, WorkflowTool.WaitEntry]
            : [.. visible, WaitForApprovalTool.Entry];
    }

    /// <summary>The tool a <c>tools/call</c> names, listed or hidden by a policy; null when no source offers it.</summary>
    public async Task<McpToolEntry?> FindAsync(AgentIdentity agent, string name, CancellationToken ct)
    {
        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            return name switch
            {
                WaitForApprovalTool.Name => WaitForApprovalTool.Entry,
                WorkflowTool.WaitName => WorkflowTool.WaitEntry,
                _ => null,
            };
        }

        foreach (var source in _sources)
        {
            if (await source.FindAsync(agent, name, ct) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
