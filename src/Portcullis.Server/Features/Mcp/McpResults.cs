using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure.Http;
using static Portcullis.Server.Features.Actions.RequestActionResult;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// The engine's answers as <c>tools/call</c> results. Refusals are tool errors (<c>isError: true</c>) the model can read,
/// never protocol errors. The full answer rides along in <c>_meta["portcullis/answer"]</c>.
/// </summary>
public static class McpResults
{
    public const string AnswerKey = "portcullis/answer";
    public const string RunIdKey = McpMeta.RunIdKey;

    public static CallToolResult From(RequestActionResult result, string runId, McpLinks links) => result switch
    {
        Decided d => FromAnswer(d.AnswerJson, runId, links),
        Replayed r => FromAnswer(r.AnswerJson, runId, links),
        InvalidPayload p => Invalid(FieldErrors.From(p.Errors)),
        RunNotFound n => Error("not_found", $"run `{n.RunId}` was not found"),
        RunEnded e => Error("run_ended", e.Status is null ? $"run `{e.RunId}` has ended" : $"run `{e.RunId}` has ended with status `{e.Status}`"),
        KeyConflict => Error("conflict", "this idempotency key was used with a different request"),
        _ => throw new InvalidOperationException($"unhandled result {result.GetType().Name}"),
    };

    /// <summary>The action request of a decided (or replayed) call and the approval it waits for, if any; null for any other result.</summary>
    public static (string ActionRequestId, string? ApprovalId)? AnswerIds(RequestActionResult result)
    {
        var answerJson = result switch
        {
            Decided d => d.AnswerJson,
            Replayed r => r.AnswerJson,
            _ => null,
        };
        if (answerJson is null)
        {
            return null;
        }

        using var answer = JsonDocument.Parse(answerJson);
        var root = answer.RootElement;
        var approvalId = root.GetProperty("decision").GetString() == "require_approval" ? root.GetProperty("approvalRequestId").GetString() : null;
        return (root.GetProperty("actionRequestId").GetString()!, approvalId);
    }

    /// <summary>Every bad field, named as the tool's argument (<c>amount</c>) or the <c>_meta</c> key.</summary>
    public static CallToolResult Invalid(FieldErrors errors)
    {
        var byField = errors.ToDictionary().ToDictionary(e => ArgumentName(e.Key), e => e.Value, StringComparer.Ordinal);
        var text = "invalid arguments: " + string.Join("; ", byField.Select(e => $"`{e.Key}` {string.Join(", ", e.Value)}"));
        return Tool(JsonSerializer.SerializeToElement(new { code = "validation_failed", message = text, errors = byField }), text, isError: true);
    }

    public static CallToolResult Error(string code, string message) =>
        Tool(JsonSerializer.SerializeToElement(new { code, message }), message, isError: true);

    private static CallToolResult FromAnswer(string answerJson, string runId, McpLinks links)
    {
        var answer = JsonDocument.Parse(answerJson).RootElement.Clone();
        var decision = answer.GetProperty("decision").GetString();
        var reason = answer.GetProperty("reason").GetString();
        var result = decision switch
        {
            "block" => Tool(answer, $"blocked by policy: {reason}", isError: true),
            "require_approval" => Approval(answer, reason, links),
            _ => Executed(answer),
        };
        // The parsed answer backs the node: it is written as it is, not parsed a second time into a tree.
        result.Meta = new JsonObject { [AnswerKey] = JsonObject.Create(answer), [RunIdKey] = runId };
        return result;
    }

    private static CallToolResult Approval(JsonElement answer, string? reason, McpLinks links)
    {
        var approvalId = answer.GetProperty("approvalRequestId").GetString()!;
        var url = links.Approval(approvalId);
        var text = $"approval required: {reason}. Approval `{approvalId}` waits for a person at {url}. "
            + $"Call `{WaitForApprovalTool.Name}` with {{\"approvalId\": \"{approvalId}\"}} to wait for the decision and the action's result.";
        return Tool(JsonSerializer.SerializeToElement(new
        {
            decision = "require_approval",
            reason,
            actionRequestId = answer.GetProperty("actionRequestId").GetString(),
            approvalId,
            approvalUrl = url,
            waitTool = WaitForApprovalTool.Name,
        }), text, isError: false);
    }

    /// <summary>An allowed action: its execution's response payload, a failed execution as a tool error, or (custom tools) the answer.</summary>
    public static CallToolResult Executed(JsonElement answer)
    {
        if (!answer.TryGetProperty("execution", out var execution) || execution.ValueKind != JsonValueKind.Object)
        {
            return Tool(answer, $"allowed and recorded: {answer.GetProperty("reason").GetString()}", isError: false);
        }

        var status = execution.GetProperty("status").GetString();
        if (status == "failed")
        {
            var message = execution.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e.GetProperty("message").GetString() : null;
            return Tool(execution, $"the action failed: {message ?? "unknown error"}", isError: true);
        }

        return execution.TryGetProperty("response_payload", out var payload) && payload.ValueKind != JsonValueKind.Null
            ? Tool(AsObject(payload), payload.GetRawText(), isError: false)
            : Tool(execution, $"the action is {status}", isError: false);
    }

    // structuredContent must be an object.
    private static JsonElement AsObject(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object ? value : JsonSerializer.SerializeToElement(new { result = value });

    private static CallToolResult Tool(JsonElement structured, string text, bool isError) => new()
    {
        StructuredContent = structured,
        Content = [new TextContentBlock { Text = text }],
        IsError = isError,
    };

    private static string ArgumentName(string field) => field.StartsWith("payload.", StringComparison.Ordinal) ? field["payload.".Length..] : field;
}
