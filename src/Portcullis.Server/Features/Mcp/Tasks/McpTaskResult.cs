using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;

namespace Portcullis.Server.Features.Mcp.Tasks;

/// <summary>
/// A task of the tasks extension (<c>io.modelcontextprotocol/tasks</c>) on the wire: as the <c>CreateTaskResult</c> of a
/// <c>tools/call</c> (<c>resultType: "task"</c>) and as the <c>tasks/get</c> answer (<c>resultType: "complete"</c>, with
/// <c>result</c> once completed).
/// </summary>
public sealed class McpTaskResult : Result
{
    [JsonPropertyName("taskId")]
    public required string TaskId { get; init; }

    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("statusMessage")]
    public string? StatusMessage { get; init; }

    [JsonPropertyName("createdAt")]
    public required string CreatedAt { get; init; }

    [JsonPropertyName("lastUpdatedAt")]
    public required string LastUpdatedAt { get; init; }

    /// <summary>Null: unlimited. The task is the approval's row, which Portcullis keeps (the approval itself expires).</summary>
    [JsonPropertyName("ttlMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? TtlMs { get; init; }

    [JsonPropertyName("pollIntervalMs")]
    public int? PollIntervalMs { get; init; }

    /// <summary>The <c>CallToolResult</c> of a completed task.</summary>
    [JsonPropertyName("result")]
    public JsonNode? Outcome { get; init; }
}

/// <summary>The task statuses of the extension that Portcullis uses (it never asks the client for input).</summary>
public static class McpTaskStatus
{
    public const string Working = "working";
    public const string Completed = "completed";
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(McpTaskResult))]
[JsonSerializable(typeof(LegacyCreateTaskResult))]
internal sealed partial class McpTaskJson : JsonSerializerContext;
