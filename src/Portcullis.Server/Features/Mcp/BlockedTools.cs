using System.Collections.Concurrent;
using Portcullis.Policies;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// Which tools a <c>block</c> policy always blocks for an agent, so <c>tools/list</c> can leave them out. Sound by
/// construction: only enabled block policies in the agent's scope whose condition reads nothing but
/// <see cref="KnownFields"/> (fixed for a tool, an agent and the MCP transport) are used, and a policy counts only
/// when it matches outright; any other policy might not match some call, so its tools stay listed (and are decided
/// per call). Hiding is a courtesy: calling a hidden tool still goes to the engine and is blocked and recorded.
/// </summary>
public sealed class BlockedTools(PolicyStore store)
{
    /// <summary>The request fields known before a call: a condition reading only these has one outcome per tool and agent.</summary>
    public static readonly IReadOnlySet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "action_type", "provider", "agent.id", "agent.name", "source",
    };

    private readonly ConcurrentDictionary<string, (long Revision, StaticBlock[] Blocks)> _cache = new(StringComparer.Ordinal);

    private sealed record StaticBlock(CompiledCondition Condition, IReadOnlyList<string> AgentIds)
    {
        public bool AppliesTo(string agentId) => AgentIds.Count == 0 || AgentIds.Contains(agentId, StringComparer.Ordinal);
    }

    /// <summary>The tools of <paramref name="tools"/> that no block policy always blocks for the agent.</summary>
    public async Task<IReadOnlyList<McpToolEntry>> VisibleAsync(AgentIdentity agent, IReadOnlyList<McpToolEntry> tools, CancellationToken ct)
    {
        var blocks = (await BlocksAsync(agent, ct)).Where(b => b.AppliesTo(agent.AgentId)).ToArray();
        return blocks.Length == 0 ? tools : tools.Where(t => !blocks.Any(b => Matches(b, agent, t))).ToList();
    }

    private static bool Matches(StaticBlock block, AgentIdentity agent, McpToolEntry tool) =>
        block.Condition.Evaluate(new ActionContext
        {
            ActionType = tool.ActionType,
            Provider = tool.Provider,
            AgentId = agent.AgentId,
            AgentName = agent.AgentName,
            Source = ActionSource.Mcp,
        }).IsMatch;

    // Compiled once per policy revision, like the engine's policy set.
    private async ValueTask<StaticBlock[]> BlocksAsync(AgentIdentity agent, CancellationToken ct)
    {
        var revision = agent.Workspace.PolicyRevision;
        if (_cache.TryGetValue(agent.WorkspaceId, out var cached) && cached.Revision == revision)
        {
            return cached.Blocks;
        }

        var rows = await store.ListAsync(agent.WorkspaceId, ct);
        var blocks = rows.Where(r => !r.IsShadow).Select(r => r.ToDefinition())
            .Where(d => d.Enabled && d.Decision == PolicyDecision.Block)
            .Select(d => (Definition: d, PolicyCondition.Parse(d.Condition).Condition))
            .Where(p => p.Condition is { UsesVelocity: false } c && c.Fields.IsSubsetOf(KnownFields))
            .Select(p => new StaticBlock(p.Condition!, p.Definition.AgentIds ?? []))
            .ToArray();
        _cache[agent.WorkspaceId] = (revision, blocks);
        return blocks;
    }
}
