using System.Text.Json;
using Portcullis.Server.Features.Workflows;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The agent's workflows, as <c>workflow_&lt;id&gt;</c> tools titled with the workflow's name: the arguments become
/// <c>trigger.input</c>, and every step is governed on its own (see <see cref="WorkflowTool"/>).
/// </summary>
public sealed class WorkflowToolSource(WorkflowStore store) : IMcpToolSource
{
    public const string Prefix = "workflow_";

    private static readonly JsonElement InputSchema = JsonSerializer.SerializeToElement(new
    {
        type = "object",
        description = "the workflow's trigger.input",
        additionalProperties = true,
    });

    public async Task<IReadOnlyList<McpToolEntry>> ListAsync(AgentIdentity agent, CancellationToken ct)
    {
        var workflows = await store.ListByAgentAsync(agent.WorkspaceId, agent.AgentId, ct);
        return workflows.Select(w => w.Parsed()).Zip(workflows, (d, w) => new McpToolEntry(
            Prefix + w.Id, d.Name,
            $"Runs the workflow \"{d.Name}\" ({d.Steps.Count} steps: {string.Join(", ", d.Steps.Select(s => s.ActionType))}). "
            + (d.Description is { Length: > 0 } description ? description + " " : "")
            + "Each step is decided by Portcullis's policies; the result is the workflow run.",
            InputSchema, new McpToolHints(ReadOnly: false, Destructive: null, Idempotent: false, OpenWorld: true), "", WorkflowId: w.Id)).ToList();
    }
}
