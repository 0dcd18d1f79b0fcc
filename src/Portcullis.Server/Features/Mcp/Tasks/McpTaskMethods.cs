using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp.Tasks;

/// <summary>
/// <c>tasks/get</c>, <c>tasks/cancel</c>, and by protocol <c>tasks/update</c> (2026-07-28 extension) or <c>tasks/result</c>
/// (2025-11-25), over the calling agent's tasks. An unknown id, or one of another agent or workspace, is the spec's
/// not-found error (-32602); a 2026-07-28 request that does not declare the extension gets -32021.
/// </summary>
public sealed class McpTaskMethods(ApprovalTasks approvals, CallTasks calls, IOptions<McpOptions> options)
{
    private sealed record Found(McpTaskResult Task, bool Legacy);

    public async ValueTask<JsonNode?> GetAsync(RequestContext<JsonNode?> request, CancellationToken ct)
    {
        var found = await FindAsync(request, McpTaskExtension.Get, TimeSpan.Zero, ct);
        return found.Legacy ? LegacyTasks.ToJson(found.Task) : JsonSerializer.SerializeToNode(found.Task, McpTaskJson.Default.McpTaskResult);
    }

    /// <summary>An approval task never asks the client for input: any input responses are ignored, as the spec allows.</summary>
    public async ValueTask<JsonNode?> UpdateAsync(RequestContext<JsonNode?> request, CancellationToken ct)
    {
        await FindAsync(request, McpTaskExtension.Update, TimeSpan.Zero, ct, legacyMethod: false);
        return new JsonObject { ["resultType"] = "complete" };
    }

    /// <summary>2025-11-25: waits until the task completes (long-polling the approval), then answers its <c>CallToolResult</c>.</summary>
    public async ValueTask<JsonNode?> ResultAsync(RequestContext<JsonNode?> request, CancellationToken ct)
    {
        var wait = TimeSpan.FromSeconds(options.Value.MaxWaitSeconds);
        var found = await FindAsync(request, LegacyTasks.ResultMethod, wait, ct, modernMethod: false);
        while (found.Task.Status != McpTaskStatus.Completed)
        {
            // An approval's read above already waited; an execution in flight is re-read after a short pause.
            await Task.Delay(TimeSpan.FromMilliseconds(options.Value.TaskPollIntervalMs / 4), ct);
            found = await FindAsync(request, LegacyTasks.ResultMethod, wait, ct, modernMethod: false);
        }

        return LegacyTasks.Outcome(found.Task);
    }

    /// <summary>
    /// Only people decide approvals, and an agent cannot withdraw its request; an answered call is already done. An
    /// acknowledgement would promise a cancellation that never happens, so a known task answers that it cannot be cancelled.
    /// </summary>
    public async ValueTask<JsonNode?> CancelAsync(RequestContext<JsonNode?> request, CancellationToken ct)
    {
        var task = (await FindAsync(request, McpTaskExtension.Cancel, TimeSpan.Zero, ct)).Task;
        throw new McpProtocolException(
            task.Status == McpTaskStatus.Completed ? $"Task `{task.TaskId}` cannot be cancelled: it has completed"
            : $"Task `{task.TaskId}` cannot be cancelled: it waits for a person to decide approval `{task.TaskId}`, and only an approver "
              + "can reject it (or it expires)", McpErrorCode.InvalidParams);
    }

    private async Task<Found> FindAsync(
        RequestContext<JsonNode?> request, string method, TimeSpan wait, CancellationToken ct, bool legacyMethod = true, bool modernMethod = true)
    {
        var legacy = !McpTaskExtension.IsTasksProtocol(request.JsonRpcRequest);
        if (legacy ? !legacyMethod : !modernMethod)
        {
            throw new McpProtocolException($"Method '{method}' is not part of the tasks of this protocol version", McpErrorCode.MethodNotFound);
        }

        if (!legacy && !McpTaskExtension.Declared(request.JsonRpcRequest))
        {
            throw new MissingRequiredClientCapabilityException(
                new ClientCapabilities { Extensions = new Dictionary<string, object> { [McpTaskExtension.Id] = new JsonObject() } },
                $"Method '{method}' requires the client capability extension '{McpTaskExtension.Id}'");
        }

        var taskId = request.Params?["taskId"] is JsonValue value && value.TryGetValue<string>(out var id) ? id
            : throw new McpProtocolException($"{method} needs params.taskId, a string", McpErrorCode.InvalidParams);
        var http = McpRequest.Http(request);
        var (agent, links) = (http.GetAgent(), McpLinks.For(http));
        // Answered calls are tasks only where the client asked for one (2025-11-25); approvals are tasks on both.
        var task = await approvals.FindAsync(agent, taskId, links, ct, wait) ?? (legacy ? await calls.FindAsync(agent, taskId, links, ct) : null);
        return task is null
            ? throw new McpProtocolException($"Failed to retrieve task: task `{taskId}` not found", McpErrorCode.InvalidParams)
            : new Found(task, legacy);
    }
}
