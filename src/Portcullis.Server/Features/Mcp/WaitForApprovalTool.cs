using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using Portcullis.Server.Features.Approvals;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// <c>portcullis_wait_for_approval {approvalId, waitSeconds?}</c>, always listed: long-polls an approval (like
/// <c>GET /api/approvals/{id}?waitSeconds=N</c>) and answers the executed action's result once it is decided, for
/// clients that cannot hold a task open.
/// </summary>
public sealed class WaitForApprovalTool(ApprovalWaiter waiter, IOptions<McpOptions> options)
{
    public const string Name = McpToolCatalog.ReservedPrefix + "wait_for_approval";

    public static readonly McpToolEntry Entry = new(
        Name, "Wait for an approval",
        "Waits until a person decides an approval that a tool call asked for, then returns that call's result. "
        + "Call it again while the approval is still pending.",
        JsonSerializer.SerializeToElement(new
        {
            type = "object",
            properties = new
            {
                approvalId = new { type = "string", description = "the approvalId a tool call answered with" },
                waitSeconds = new { type = "integer", minimum = 0, description = "how long to wait at most (the server caps it)" },
            },
            required = new[] { "approvalId" },
            additionalProperties = false,
        }),
        new McpToolHints(ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false),
        Name);

    public async Task<CallToolResult> CallAsync(AgentIdentity agent, IDictionary<string, JsonElement>? arguments, CancellationToken ct)
    {
        var max = options.Value.MaxWaitSeconds;
        var f = new JsonFields(JsonSerializer.SerializeToElement(arguments ?? new Dictionary<string, JsonElement>()), new FieldErrors());
        var approvalId = f.String("approvalId", required: true, maxLength: 64);
        var wait = f.Integer("waitSeconds", min: 0, max: max) ?? max;
        if (f.Errors.Any)
        {
            return McpResults.Invalid(f.Errors);
        }

        var row = await waiter.WaitAsync(approvalId!, agent.WorkspaceId, TimeSpan.FromSeconds(wait), ct);
        if (row is null)
        {
            return McpResults.Error("not_found", $"approval `{approvalId}` was not found");
        }

        var dto = row.ToDto();
        return dto.Status == ApprovalStatus.Pending
            ? ApprovalOutcome.Pending(dto, $"approval `{dto.Id}` is still pending; call `{Name}` again to keep waiting")
            : ApprovalOutcome.Decided(dto);
    }
}
