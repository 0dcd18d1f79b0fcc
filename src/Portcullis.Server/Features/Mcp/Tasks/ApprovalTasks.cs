using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp.Tasks;

/// <summary>
/// The MCP task of a <c>tools/call</c> that waits for an approval. The task id is the approval's id and every read goes to
/// the store through <see cref="ApprovalWaiter"/> (as <c>portcullis_wait_for_approval</c> does), so any instance answers
/// for any task, also after a restart; nothing is kept in memory. The task is working while the approval is pending or
/// its approved action executes, then completed with <see cref="ApprovalOutcome.Decided"/>.
/// </summary>
public sealed class ApprovalTasks(ApprovalWaiter waiter, IOptions<McpOptions> options)
{
    /// <summary>
    /// The task, or null when the agent has no such approval (another agent's or workspace's id included); with a
    /// <paramref name="wait"/>, once the approval settles or the wait runs out (a long-poll).
    /// </summary>
    public async Task<McpTaskResult?> FindAsync(AgentIdentity agent, string taskId, McpLinks links, CancellationToken ct, TimeSpan wait = default)
    {
        if (!Ids.HasPrefix(taskId, "apr"))
        {
            return null;
        }

        // A zero wait reads once and expires a past-due approval, exactly as a long-poll would.
        var row = await waiter.WaitAsync(taskId, agent.WorkspaceId, wait, ct);
        return row is null || row.AgentId != agent.AgentId ? null : ToTask(row, links, resultType: "complete");
    }

    /// <summary>The <c>CreateTaskResult</c> for the approval a call just asked for (already committed, so tasks/get finds it).</summary>
    public async Task<McpTaskResult> CreatedAsync(AgentIdentity agent, string approvalId, McpLinks links, CancellationToken ct)
    {
        var task = await FindAsync(agent, approvalId, links, ct)
            ?? throw new McpException($"approval `{approvalId}` of the call was not found");
        return ToTask(task, "task");
    }

    private McpTaskResult ToTask(ApprovalRow row, McpLinks links, string resultType)
    {
        var dto = row.ToDto();
        var updated = Math.Max(row.CreatedAt, Math.Max(row.DecidedAt ?? 0, row.Execution?.CompletedAt ?? 0));
        var settled = row.IsSettled;
        return new McpTaskResult
        {
            ResultType = resultType,
            TaskId = row.Id,
            Status = settled ? McpTaskStatus.Completed : McpTaskStatus.Working,
            StatusMessage = settled ? $"approval `{row.Id}` was {row.Status}"
                : row.Status == ApprovalStatus.Pending ? $"waiting for a person to decide approval `{row.Id}` at {links.Approval(row.Id)}"
                : $"approval `{row.Id}` was approved; the action is executing",
            CreatedAt = Times.ToIso(row.CreatedAt),
            LastUpdatedAt = Times.ToIso(updated),
            PollIntervalMs = settled ? null : options.Value.TaskPollIntervalMs,
            Outcome = settled ? JsonSerializer.SerializeToNode(ApprovalOutcome.Decided(dto), McpJsonUtilities.DefaultOptions) : null,
        };
    }

    // A CreateTaskResult is a task without its result: the client reads that with tasks/get.
    private static McpTaskResult ToTask(McpTaskResult task, string resultType) => new()
    {
        ResultType = resultType,
        TaskId = task.TaskId,
        Status = task.Status,
        StatusMessage = task.StatusMessage,
        CreatedAt = task.CreatedAt,
        LastUpdatedAt = task.LastUpdatedAt,
        PollIntervalMs = task.PollIntervalMs,
    };
}
