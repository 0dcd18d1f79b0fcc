using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Portcullis.Server.Features.Mcp.Tasks;

/// <summary>
/// The core <c>tasks</c> utility of protocol 2025-11-25, for sessions that initialized with it: the client asks for a task
/// with <c>params.task</c> on <c>tools/call</c>, polls <c>tasks/get</c> and reads the outcome with <c>tasks/result</c>. The
/// tasks are the same durable ones as the 2026-07-28 extension's; only the wire shapes differ (<c>{task: …}</c>,
/// <c>ttl</c>, <c>pollInterval</c>, no inline result).
/// </summary>
public static class LegacyTasks
{
    public const string ResultMethod = "tasks/result";
    public const string RelatedTaskKey = "io.modelcontextprotocol/related-task";

    /// <summary>A tools/call of a pre-2026 session that asks to run as a task.</summary>
    public static bool Requested(JsonRpcRequest request) => !McpTaskExtension.IsTasksProtocol(request) && request.Params?["task"] is JsonObject;

    public static JsonObject ToJson(McpTaskResult task)
    {
        var json = new JsonObject
        {
            ["taskId"] = task.TaskId,
            ["status"] = task.Status,
            ["createdAt"] = task.CreatedAt,
            ["lastUpdatedAt"] = task.LastUpdatedAt,
            ["ttl"] = null,
        };
        if (task.StatusMessage is { } message)
        {
            json["statusMessage"] = message;
        }

        if (task.PollIntervalMs is { } interval)
        {
            json["pollInterval"] = interval;
        }

        return json;
    }

    /// <summary>The task's <c>CallToolResult</c>, tagged with the task it belongs to as the spec asks of <c>tasks/result</c>.</summary>
    public static JsonNode Outcome(McpTaskResult task)
    {
        var result = task.Outcome!.DeepClone();
        var meta = result["_meta"] as JsonObject ?? new JsonObject();
        meta[RelatedTaskKey] = new JsonObject { ["taskId"] = task.TaskId };
        result["_meta"] = meta;
        return result;
    }

    /// <summary>
    /// Advertises task-augmented <c>tools/call</c> in a 2025-11-25 <c>initialize</c> result: the SDK's capabilities type of
    /// this version has no <c>tasks</c> member, so the answer is completed on its way out. Listing and cancelling are not offered.
    /// </summary>
    public static McpMessageHandler AdvertiseOnInitialize(McpMessageHandler next) => (context, ct) =>
    {
        if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result }
            && result["protocolVersion"]?.GetValue<string>() == "2025-11-25" && result["serverInfo"] is not null
            && result["capabilities"] is JsonObject capabilities)
        {
            capabilities["tasks"] = new JsonObject { ["requests"] = new JsonObject { ["tools"] = new JsonObject { ["call"] = new JsonObject() } } };
        }

        return next(context, ct);
    };
}

/// <summary>The 2025-11-25 <c>CreateTaskResult</c>: the task under <c>task</c>.</summary>
public sealed class LegacyCreateTaskResult : Result
{
    [JsonPropertyName("task")]
    public required JsonObject Task { get; init; }
}
