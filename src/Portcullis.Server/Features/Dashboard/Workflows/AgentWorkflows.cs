using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Server.Features.Workflows;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Dashboard.Workflows;

/// <summary>A row of an agent's Workflows tab: the workflow and how its latest run ended (or stands).</summary>
public sealed record WorkflowSummary(WorkflowDto Workflow, WorkflowRunDto? LastRun);

/// <summary>What the agent page's Workflows tab reads and does: its list, and manual runs with a JSON input typed in.</summary>
public sealed class AgentWorkflows(WorkflowStore store, WorkflowRunQueries runs, StartWorkflowRun start)
{
    public abstract record ManualRun
    {
        private ManualRun()
        {
        }

        public sealed record Started(string WorkflowRunId) : ManualRun;

        public sealed record Refused(string Message, int Status = 400) : ManualRun;
    }

    public async Task<IReadOnlyList<WorkflowSummary>> ListAsync(string workspaceId, string agentId, CancellationToken ct)
    {
        var summaries = new List<WorkflowSummary>();
        foreach (var row in await store.ListByAgentAsync(workspaceId, agentId, ct))
        {
            var last = await runs.ListAsync(workspaceId, row.Id, null, 1, null, ct);
            summaries.Add(new WorkflowSummary(row.ToDto(), last.Count > 0 ? last[0] : null));
        }

        return summaries;
    }

    /// <summary>A run started by a member from the dashboard: <c>startedBy: manual</c>, <c>triggeredBy</c> their user id.</summary>
    public async Task<ManualRun> RunAsync(Member member, string agentId, string workflowId, string? inputText, CancellationToken ct)
    {
        var text = string.IsNullOrWhiteSpace(inputText) ? "{}" : inputText;
        JsonNode? input;
        try
        {
            input = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            return new ManualRun.Refused($"The input is not JSON: {e.Message}");
        }

        if (input is not JsonObject)
        {
            return new ManualRun.Refused("The input must be a JSON object, such as {\"amount\": 1200}.");
        }

        var command = new StartWorkflowRunCommand(member.WorkspaceId, workflowId, agentId, input.ToJsonString(), StartedBy.Manual, TriggeredBy: member.UserId);
        return await start.ExecuteAsync(command, ct) switch
        {
            StartWorkflowRunResult.Started s => new ManualRun.Started(s.WorkflowRunId),
            _ => new ManualRun.Refused($"Workflow `{workflowId}` was not found for this agent.", 404),
        };
    }
}
