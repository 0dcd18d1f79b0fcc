using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Connectors;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Features.Approvals;

/// <summary>An approval joined with its action request, its agent and (once executed) its execution.</summary>
public sealed class ApprovalRow
{
    public string Id { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string ActionRequestId { get; init; } = "";
    public string RunId { get; init; } = "";
    public string AgentId { get; init; } = "";
    public string AgentName { get; init; } = "";
    public string Status { get; init; } = "";
    public long ApprovalsRequired { get; init; }
    public long ApprovalsReceived { get; init; }
    public long CreatedAt { get; init; }
    public long ExpiresAt { get; init; }
    public long? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string? Comment { get; init; }
    public string ActionType { get; init; } = "";
    public string? Provider { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public string Payload { get; init; } = "{}";
    public string? Evidence { get; init; }
    public string Reason { get; init; } = "";
    public string MatchedPolicies { get; init; } = "[]";
    public string? CallbackUrl { get; init; }
    public long? PolicyRevision { get; init; }
    public string? ArgumentsDigest { get; init; }
    public bool AllowEdit { get; init; }
    public string? EditedPayload { get; init; }
    public string? EditedDigest { get; init; }
    public long? EditedPolicyRevision { get; init; }
    public string? ApproverGroup { get; init; }
    public string? EscalateTo { get; init; }
    public long? EscalatedAt { get; init; }
    public string? DecidedChannel { get; init; }
    public ExecutionRow? Execution { get; set; }

    // The execution's columns come last and start with its id: Dapper splits the row there.
    public static readonly string Select =
        $"""
        SELECT a.id AS Id, a.workspace_id AS WorkspaceId, a.action_request_id AS ActionRequestId, a.run_id AS RunId, a.agent_id AS AgentId,
               g.name AS AgentName, a.status AS Status, a.approvals_required AS ApprovalsRequired,
               (SELECT COUNT(*) FROM approval_decisions d WHERE d.approval_id = a.id AND d.decision = 'approve') AS ApprovalsReceived,
               a.created_at AS CreatedAt, a.expires_at AS ExpiresAt, a.decided_at AS DecidedAt, a.decided_by AS DecidedBy, a.comment AS Comment,
               r.action_type AS ActionType, r.provider AS Provider, r.resource_type AS ResourceType, r.resource_id AS ResourceId,
               r.payload AS Payload, r.evidence AS Evidence, r.reason AS Reason, r.matched_policies AS MatchedPolicies, r.callback_url AS CallbackUrl,
               r.policy_revision AS PolicyRevision, a.arguments_digest AS ArgumentsDigest,
               a.allow_edit AS AllowEdit, a.edited_payload AS EditedPayload, a.edited_digest AS EditedDigest, a.edited_policy_revision AS EditedPolicyRevision,
               a.approver_group AS ApproverGroup, a.escalate_to AS EscalateTo, a.escalated_at AS EscalatedAt, a.decided_channel AS DecidedChannel,
               e.{ExecutionRow.Columns.Replace(", ", ", e.", StringComparison.Ordinal)}
        FROM approvals a
        JOIN action_requests r ON r.id = a.action_request_id
        JOIN agents g ON g.id = a.agent_id
        LEFT JOIN executions e ON e.action_request_id = a.action_request_id
        """;

    /// <summary>Maps one row of <see cref="Select"/>: the approval, then its execution (null when there is none yet).</summary>
    public static ApprovalRow Read(DbDataReader reader)
    {
        // The execution's columns start at the second "Id" (PostgreSQL folds the alias to "id").
        var split = 1;
        while (!string.Equals(reader.GetName(split), "Id", StringComparison.OrdinalIgnoreCase))
        {
            split++;
        }

        var row = reader.GetRowParser<ApprovalRow>(length: split)(reader);
        row.Execution = reader.GetRowParser<ExecutionRow>(startIndex: split, returnNullIfFirstMissing: true)(reader);
        return row;
    }

    /// <summary>True for a built-in action type or a gateway tool: approving it dispatches it and records an execution.</summary>
    public bool Dispatches => ActionCatalog.TryGetProvider(ActionType, out _) || McpGateway.McpNames.IsGatewayAction(ActionType);

    public bool IsDue(long now) => Status == ApprovalStatus.Pending && ExpiresAt <= now;

    /// <summary>
    /// Nothing more will change: decided, and (for an approved built-in action) executed. A long-poll waits for this,
    /// so an agent that hears "approved" also gets the execution.
    /// </summary>
    public bool IsSettled => Status != ApprovalStatus.Pending && !(Status == ApprovalStatus.Approved && Dispatches && Execution is null);

    public ApprovalDto ToDto() => new(
        Id, Status, ActionRequestId, RunId, ActionType, Provider, (int)ApprovalsRequired, (int)ApprovalsReceived,
        Times.ToIso(CreatedAt), Times.ToIso(ExpiresAt), Times.ToIso(DecidedAt), Comment, DecidedBy, ExecutionDto(), PolicyRevision, ArgumentsDigest,
        EditedPayload is not null, ParseOrNull(EditedPayload), EditedDigest);

    public ApprovalDetailDto ToDetailDto(IReadOnlyList<ApprovalDecisionDto> decisions) => new(
        Id, Status, ActionRequestId, RunId, AgentId, AgentName, ActionType, Provider, ResourceType, ResourceId,
        Parse(Payload), Evidence is null ? null : Parse(Evidence), Reason, Parse(MatchedPolicies),
        (int)ApprovalsRequired, (int)ApprovalsReceived, decisions,
        Times.ToIso(CreatedAt), Times.ToIso(ExpiresAt), Times.ToIso(DecidedAt), Comment, DecidedBy, ExecutionDto(), PolicyRevision, ArgumentsDigest,
        AllowEdit, EditedPayload is not null, ParseOrNull(EditedPayload), EditedDigest, EditedPolicyRevision,
        ApproverGroup, EscalateTo, Times.ToIso(EscalatedAt), DecidedChannel);

    /// <summary>The execution, saying (for an edited approval) that it ran the edited payload, and showing it.</summary>
    private ExecutionDto? ExecutionDto() => Execution?.ToDto().WithEdit(EditedPayload);

    private static JsonElement? ParseOrNull(string? json) => json is null ? null : Parse(json);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
