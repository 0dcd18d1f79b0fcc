using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp.Tasks;

/// <summary>
/// <c>tasks/get</c>, <c>tasks/update</c> and <c>tasks/cancel</c> for the calling agent's approval tasks. An unknown id, or
/// one of another agent or workspace, is the spec's not-found error (-32602); a request that does not declare the
/// extension gets -32021 (missing required client capability).
/// </summary>
public sealed class McpTaskMethods(ApprovalTasks tasks)
{
    public async ValueTask<JsonNode?> GetAsync(RequestContext<JsonNode?> request, CancellationToken ct)
    {
        var task = await FindAsync(request, McpTaskExtension.Get, ct);
        return JsonSerializer.SerializeToNode(task, McpTaskJson.Default.McpTaskResult);
    }

    /// <summary>An approval task never asks the client for input: any input responses are ignored, as the spec allows.</summary>
    public async ValueTask<JsonNode?> UpdateAsync(RequestContext<JsonNode?> request, CancellationToken ct)
    {
        await FindAsync(request, McpTaskExtension.Update, ct);
        return new JsonObject { ["resultType"] = "complete" };
    }

    /// <summary>
    /// Only people decide approvals, and an agent cannot withdraw its request: acknowledging a cancellation that never
    /// happens would mislead the client, so a known task answers an error saying it cannot be cancelled.
    /// </summary>
    public async ValueTask<JsonNode?> CancelAsync(RequestContext<JsonNode?> request, CancellationToken ct)
    {
        var task = await FindAsync(request, McpTaskExtension.Cancel, ct);
        throw new McpProtocolException(
            $"Task `{task.TaskId}` cannot be cancelled: it waits for a person to decide approval `{task.TaskId}`, and only an approver "
            + "can reject it (or it expires)", McpErrorCode.InvalidParams);
    }

    private async Task<McpTaskResult> FindAsync(RequestContext<JsonNode?> request, string method, CancellationToken ct)
    {
        if (!McpTaskExtension.IsTasksProtocol(request.JsonRpcRequest))
        {
            throw new McpProtocolException($"Method '{method}' is part of the tasks extension of protocol 2026-07-28", McpErrorCode.MethodNotFound);
        }

        if (!McpTaskExtension.Declared(request.JsonRpcRequest))
        {
            throw new MissingRequiredClientCapabilityException(
                new ClientCapabilities { Extensions = new Dictionary<string, object> { [McpTaskExtension.Id] = new JsonObject() } },
                $"Method '{method}' requires the client capability extension '{McpTaskExtension.Id}'");
        }

        var taskId = request.Params?["taskId"] is JsonValue value && value.TryGetValue<string>(out var id) ? id
            : throw new McpProtocolException($"{method} needs params.taskId, a string", McpErrorCode.InvalidParams);
        var http = McpRequest.Http(request);
        return await tasks.FindAsync(http.GetAgent(), taskId, McpLinks.For(http), ct)
            ?? throw new McpProtocolException($"Failed to retrieve task: task `{taskId}` not found", McpErrorCode.InvalidParams);
    }
}
