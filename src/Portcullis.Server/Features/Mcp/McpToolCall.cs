// The SDK marks its extension points (alternate results, custom request handlers) experimental: the tasks extension is built on them.
#pragma warning disable MCPEXP002

using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Mcp.Tasks;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// <c>tools/call</c>: the MCP adapter over <see cref="ActionEngine"/>. The tool's arguments are the payload, its entry
/// names the action type, <c>_meta</c> adds run, evidence, idempotency key and context (see <see cref="McpMeta"/>), and
/// without a run the call goes into the client's run (<see cref="McpClientRuns"/>). A call may answer a task instead of its
/// result (the 2026-07-28 extension for approvals, or <c>params.task</c> of 2025-11-25): see <see cref="McpTaskAnswers"/>.
/// </summary>
public sealed class McpToolCall(
    McpToolCatalog catalog, McpClientRuns runs, ActionEngine engine, WaitForApprovalTool wait, WorkflowTool workflows, McpTaskAnswers tasks,
    IOptions<LimitsOptions> limits, TimeProvider time)
{
    /// <summary>The SDK's <c>tools/call</c> handler: every request the direct path does not take.</summary>
    public ValueTask<ResultOrAlternate<CallToolResult>> HandleAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct)
    {
        var call = request.Params ?? throw new McpProtocolException("tools/call needs params", McpErrorCode.InvalidParams);
        var http = McpRequest.Http(request);
        var tasks = McpTaskExtension.Declared(request.JsonRpcRequest) ? McpTaskMode.Approvals
            : LegacyTasks.Requested(request.JsonRpcRequest) ? McpTaskMode.Requested
            : McpTaskMode.None;
        var meta = call.Meta is null ? default : JsonSerializer.SerializeToElement(call.Meta);
        return CallAsync(new McpCall(http, http.GetAgent(), call.Name, call.Arguments, meta, McpClientKey.Of(request.Server), tasks), ct);
    }

    /// <summary>One call, whichever transport read it.</summary>
    public async ValueTask<ResultOrAlternate<CallToolResult>> CallAsync(McpCall call, CancellationToken ct)
    {
        var agent = call.Agent;
        if (call.Name == WaitForApprovalTool.Name)
        {
            return await wait.CallAsync(agent, call.Arguments, ct);
        }

        if (call.Name == WorkflowTool.WaitName)
        {
            return await workflows.WaitToolAsync(agent, call.Arguments, McpLinks.For(call.Http), ct);
        }

        var tool = await catalog.FindAsync(agent, call.Name, ct)
            ?? throw new McpProtocolException($"Unknown tool: {call.Name}", McpErrorCode.InvalidParams);
        if (Billing.Evaluate(agent.Workspace, time.Now()) is { } locked)
        {
            return McpResults.Error(ErrorCodes.BillingLocked, $"the workspace's billing is locked: {locked.Reason}. {locked.Recovery}");
        }

        var errors = new FieldErrors();
        var meta = McpMeta.Read(call.Meta, limits.Value, errors);
        var payload = Payload(call.Arguments, errors);
        if (errors.Any)
        {
            return McpResults.Invalid(errors);
        }

        if (tool.WorkflowId is { } workflowId)
        {
            return await workflows.StartAsync(agent, workflowId, payload.Item2, meta.IdempotencyKey, McpLinks.For(call.Http), ct);
        }

        var runId = meta.RunId ?? await runs.RunForAsync(agent, call.Client, ct);
        var result = await RequestAsync(agent, tool, runId, meta, payload, errors, ct);
        if (meta.RunId is null && result is RequestActionResult.RunEnded or RequestActionResult.RunNotFound)
        {
            // The client's run ended (or went) since it was looked up: the next lookup opens its successor.
            runs.Forget(agent, call.Client, runId);
            runId = await runs.RunForAsync(agent, call.Client, ct);
            result = await RequestAsync(agent, tool, runId, meta, payload, errors, ct);
        }

        if (errors.Any)
        {
            return McpResults.Invalid(errors);
        }

        var links = McpLinks.For(call.Http);
        return await tasks.TryAsync(call.Tasks, agent, result!, links, ct) ?? McpResults.From(result!, runId, links);
    }

    private async Task<RequestActionResult?> RequestAsync(
        AgentIdentity agent, McpToolEntry tool, string runId, McpMeta meta, (JsonElement, string) payload, FieldErrors errors, CancellationToken ct)
    {
        var fields = new ActionRequestInput.Fields(runId, tool.ActionType, tool.Provider, meta.ResourceType, meta.ResourceId, payload,
            meta.Evidence, meta.IdempotencyKey, null, meta.Context);
        var input = ActionRequestInput.Create(fields, ActionSource.Mcp, errors);
        return errors.Any ? null : await engine.RequestAsync(new RequestActionCommand(agent, input), ct);
    }

    private (JsonElement, string) Payload(IDictionary<string, JsonElement>? arguments, FieldErrors errors)
    {
        var element = JsonSerializer.SerializeToElement(arguments ?? new Dictionary<string, JsonElement>());
        var text = element.GetRawText();
        if (Encoding.UTF8.GetByteCount(text) > limits.Value.MaxPayloadBytes)
        {
            errors.Add("arguments", $"must be at most {limits.Value.MaxPayloadBytes} bytes of JSON");
        }

        return (element, text);
    }
}
