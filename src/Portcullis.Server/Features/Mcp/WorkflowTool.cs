using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using Portcullis.Server.Features.Workflows.Runs;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// Calling a workflow tool starts a run of that workflow (<c>startedBy: mcp</c>) with the arguments as
/// <c>trigger.input</c> and waits for it, up to the server's wait cap; <c>portcullis_wait_for_workflow_run</c> (always
/// listed) waits again. A run that failed, was blocked or cancelled is a tool error; one waiting for an approval names it.
/// </summary>
public sealed class WorkflowTool(StartWorkflowRun start, WorkflowRunQueries runs, IOptions<McpOptions> options)
{
    public const string WaitName = McpToolCatalog.ReservedPrefix + "wait_for_workflow_run";

    public const string WorkflowRunKey = "portcullis/workflowRun";

    public static readonly McpToolEntry WaitEntry = new(
        WaitName, "Wait for a workflow run",
        "Waits until a workflow run a workflow tool started has finished (or waits for an approval), then returns it. Call it again while it runs.",
        JsonSerializer.SerializeToElement(new
        {
            type = "object",
            properties = new
            {
                workflowRunId = new { type = "string", description = "the workflowRunId a workflow tool answered with" },
                waitSeconds = new { type = "integer", minimum = 0, description = "how long to wait at most (the server caps it)" },
            },
            required = new[] { "workflowRunId" },
            additionalProperties = false,
        }),
        new McpToolHints(ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false),
        WaitName);

    public async Task<CallToolResult> StartAsync(AgentIdentity agent, string workflowId, string inputJson, string? idempotencyKey, McpLinks links,
        CancellationToken ct)
    {
        var started = await start.ExecuteAsync(new StartWorkflowRunCommand(agent.WorkspaceId, workflowId, agent.AgentId, inputJson, StartedBy.Mcp,
            idempotencyKey, "mcp"), ct);
        if (started is not StartWorkflowRunResult.Started s)
        {
            return McpResults.Error("not_found", $"workflow `{workflowId}` was not found");
        }

        return await WaitAsync(agent, s.WorkflowRunId, options.Value.MaxWaitSeconds, links, ct);
    }

    public async Task<CallToolResult> WaitToolAsync(AgentIdentity agent, IDictionary<string, JsonElement>? arguments, McpLinks links, CancellationToken ct)
    {
        var max = options.Value.MaxWaitSeconds;
        var f = new JsonFields(JsonSerializer.SerializeToElement(arguments ?? new Dictionary<string, JsonElement>()), new FieldErrors());
        var id = f.String("workflowRunId", required: true, maxLength: 64);
        var wait = f.Integer("waitSeconds", min: 0, max: max) ?? max;
        return f.Errors.Any ? McpResults.Invalid(f.Errors) : await WaitAsync(agent, id!, (int)wait, links, ct);
    }

    private async Task<CallToolResult> WaitAsync(AgentIdentity agent, string workflowRunId, int seconds, McpLinks links, CancellationToken ct)
    {
        var run = await runs.WaitAsync(agent.WorkspaceId, workflowRunId, agent.AgentId, TimeSpan.FromSeconds(seconds), ct);
        if (run is null)
        {
            return McpResults.Error("not_found", $"workflow run `{workflowRunId}` was not found");
        }

        var held = run.Steps?.FirstOrDefault(s => s.Status == StepStatus.AwaitingApproval);
        var (text, isError) = run.Status switch
        {
            WorkflowRunStatus.Completed => ($"workflow run `{run.Id}` completed", false),
            WorkflowRunStatus.AwaitingApproval when held?.ApprovalRequestId is { } approvalId =>
                ($"workflow run `{run.Id}` waits at step `{held.Id}` for approval `{approvalId}` at {links.Approval(approvalId)}. "
                 + $"Call `{WaitForApprovalTool.Name}` with it, then `{WaitName}` with the workflowRunId.", false),
            WorkflowRunStatus.Running or WorkflowRunStatus.AwaitingApproval => ($"workflow run `{run.Id}` is still running; call `{WaitName}`", false),
            _ => ($"workflow run `{run.Id}` {run.Status}: {run.Error?.Message}", true),
        };
        return new CallToolResult
        {
            StructuredContent = JsonSerializer.SerializeToElement(run, JsonSerializerOptions.Web),
            Content = [new TextContentBlock { Text = text }],
            IsError = isError,
            Meta = new JsonObject { [WorkflowRunKey] = run.Id, [McpMeta.RunIdKey] = run.RunId },
        };
    }
}
