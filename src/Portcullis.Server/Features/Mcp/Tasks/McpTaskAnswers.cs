// The SDK marks its extension points (alternate results, custom request handlers) experimental: the tasks extension is built on them.
#pragma warning disable MCPEXP002

using ModelContextProtocol.Protocol;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp.Tasks;

/// <summary>
/// Decides whether a <c>tools/call</c> the engine has answered becomes a task. 2026-07-28 (extension declared on the request):
/// the server decides, and only a call waiting for an approval does. 2025-11-25 (<c>params.task</c>): the client asked, so
/// every call the engine recorded does, the approval's task or the answered request's. Null: answer the result itself.
/// </summary>
public sealed class McpTaskAnswers(ApprovalTasks approvals, CallTasks calls)
{
    public async Task<ResultOrAlternate<CallToolResult>?> TryAsync(
        McpTaskMode mode, AgentIdentity agent, RequestActionResult result, McpLinks links, CancellationToken ct)
    {
        if (McpResults.AnswerIds(result) is not var (actionRequestId, approvalId))
        {
            return null;
        }

        if (approvalId is not null && mode == McpTaskMode.Approvals)
        {
            // The engine has committed the approval, so the task exists for tasks/get on any instance before this answer leaves.
            var created = await approvals.CreatedAsync(agent, approvalId, links, ct);
            return ResultOrAlternate<CallToolResult>.FromAlternate(created, McpTaskJson.Default.McpTaskResult);
        }

        if (mode != McpTaskMode.Requested)
        {
            return null;
        }

        var task = approvalId is not null
            ? await approvals.CreatedAsync(agent, approvalId, links, ct)
            : await calls.FindAsync(agent, actionRequestId, links, ct);
        return task is null ? null
            : ResultOrAlternate<CallToolResult>.FromAlternate(new LegacyCreateTaskResult { Task = LegacyTasks.ToJson(task) }, McpTaskJson.Default.LegacyCreateTaskResult);
    }
}
