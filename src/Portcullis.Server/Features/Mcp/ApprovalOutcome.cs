using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Portcullis.Server.Features.Approvals;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// A decided approval as the <c>tools/call</c> result of the call that asked for it: the execution's result as an allowed
/// call gets it, a recorded approved custom action, or a tool error naming the rejection or expiry. Shared by
/// <c>portcullis_wait_for_approval</c> and the result of an approval's MCP task, so both answer the same.
/// </summary>
public static class ApprovalOutcome
{
    public const string ApprovalKey = "portcullis/approval";

    public static CallToolResult Pending(ApprovalDto dto, string text) => WithMeta(Plain(dto, text, isError: false), dto);

    public static CallToolResult Decided(ApprovalDto dto)
    {
        var result = dto.Status switch
        {
            ApprovalStatus.Approved when dto.Execution is not null => McpResults.Executed(JsonSerializer.SerializeToElement(new { execution = dto.Execution })),
            ApprovalStatus.Approved => Plain(dto, $"approval `{dto.Id}` was approved; the action is recorded", isError: false),
            _ => Plain(dto, $"approval `{dto.Id}` was {dto.Status}{(dto.Comment is { } c ? $": {c}" : "")}; the action was not executed", isError: true),
        };
        return WithMeta(result, dto);
    }

    private static CallToolResult WithMeta(CallToolResult result, ApprovalDto dto)
    {
        result.Meta = new JsonObject { [ApprovalKey] = JsonSerializer.SerializeToNode(dto, JsonSerializerOptions.Web), [McpMeta.RunIdKey] = dto.RunId };
        return result;
    }

    private static CallToolResult Plain(ApprovalDto dto, string text, bool isError) => new()
    {
        StructuredContent = JsonSerializer.SerializeToElement(dto, JsonSerializerOptions.Web),
        Content = [new TextContentBlock { Text = text }],
        IsError = isError,
    };
}
