using System.Data.Common;
using Dapper;
using Portcullis.Connectors;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// What a decision (or an expiry) needs of an approval, read with the approval row locked: on PostgreSQL
/// <c>FOR NO KEY UPDATE</c>, so concurrent deciders on any instance queue behind each other (and inserts that only
/// reference the row, taking key-share locks, are not blocked); on SQLite every write already runs on the one
/// writer connection.
/// </summary>
public sealed class DecisionTarget
{
    public string Id { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string ActionRequestId { get; init; } = "";
    public string RunId { get; init; } = "";
    public string AgentId { get; init; } = "";
    public string Status { get; init; } = "";
    public long ApprovalsRequired { get; init; }
    public long ExpiresAt { get; init; }

    /// <summary>When the approval was requested (epoch ms): the start of the wait the metrics measure.</summary>
    public long CreatedAt { get; init; }

    /// <summary>The trace that opened the run (see <see cref="Infrastructure.Telemetry.RunTrace"/>).</summary>
    public string? RunTraceParent { get; init; }

    /// <summary>The agent's name, for the execution's span.</summary>
    public string? AgentName { get; init; }
    public string? AgentOwnerUserId { get; init; }
    public bool ForbidSelfApproval { get; init; }
    public string ConnectorMode { get; init; } = "";
    public string ActionType { get; init; } = "";
    public string? Provider { get; init; }
    public string Payload { get; init; } = "{}";
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public string? ArgumentsDigest { get; init; }
    public bool AllowEdit { get; init; }
    /// <summary>The workspace's approval lifetime now: what an approval escalated at its deadline gets afresh.</summary>
    public long ApprovalExpirySeconds { get; init; }

    /// <summary>The approver group whose members decide (null: any approver), where it escalates to, and when.</summary>
    public string? ApproverGroup { get; init; }
    public string? EscalateTo { get; init; }
    public long? EscalateAt { get; init; }
    public long? EscalatedAt { get; init; }

    /// <summary>An earlier approver's edit of the payload (with its digest): what later approvers approve and what is sent.</summary>
    public string? EditedPayload { get; init; }
    public string? EditedDigest { get; init; }
    public string? Response { get; init; }

    /// <summary>The workflow run whose step asked for the action; null outside workflows.</summary>
    public string? WorkflowRunId { get; init; }

    /// <summary>The credential a workflow step picked; null means the agent's linked one.</summary>
    public string? CredentialId { get; init; }

    public bool Dispatches => (ActionCatalog.TryGetProvider(ActionType, out _) || McpGateway.McpNames.IsGatewayAction(ActionType)) && Provider is not null;

    public static Task<DecisionTarget?> LockAsync(DbConnection c, DbTransaction t, Database database, string id, string? workspaceId)
    {
        var sql =
            """
            SELECT a.id AS Id, a.workspace_id AS WorkspaceId, a.action_request_id AS ActionRequestId, a.run_id AS RunId, a.agent_id AS AgentId,
                   a.status AS Status, a.approvals_required AS ApprovalsRequired, a.expires_at AS ExpiresAt, a.created_at AS CreatedAt,
                   g.owner_user_id AS AgentOwnerUserId, g.name AS AgentName, w.forbid_self_approval AS ForbidSelfApproval, w.connector_mode AS ConnectorMode,
                   r.action_type AS ActionType, r.provider AS Provider, r.payload AS Payload, r.response AS Response,
                   r.workflow_run_id AS WorkflowRunId, r.credential_id AS CredentialId, r.resource_type AS ResourceType, r.resource_id AS ResourceId,
                   a.arguments_digest AS ArgumentsDigest, a.allow_edit AS AllowEdit, a.edited_payload AS EditedPayload, a.edited_digest AS EditedDigest,
                   a.approver_group AS ApproverGroup, a.escalate_to AS EscalateTo, a.escalate_at AS EscalateAt,
                   a.escalated_at AS EscalatedAt, w.approval_expiry_seconds AS ApprovalExpirySeconds,
                   u.trace_parent AS RunTraceParent
            FROM approvals a
            JOIN action_requests r ON r.id = a.action_request_id
            JOIN agents g ON g.id = a.agent_id
            JOIN runs u ON u.id = a.run_id
            JOIN workspaces w ON w.id = a.workspace_id
            WHERE a.id = @id
            """
            + (workspaceId is null ? "" : " AND a.workspace_id = @workspaceId")
            + database.Dialect.ForNoKeyUpdateOf("a");
        return c.QueryFirstOrDefaultAsync<DecisionTarget>(sql, new { id, workspaceId }, t);
    }
}
