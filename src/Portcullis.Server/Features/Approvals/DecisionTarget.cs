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
    public string? AgentOwnerUserId { get; init; }
    public bool ForbidSelfApproval { get; init; }
    public string ConnectorMode { get; init; } = "";
    public string ActionType { get; init; } = "";
    public string? Provider { get; init; }
    public string Payload { get; init; } = "{}";
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
                   g.owner_user_id AS AgentOwnerUserId, w.forbid_self_approval AS ForbidSelfApproval, w.connector_mode AS ConnectorMode,
                   r.action_type AS ActionType, r.provider AS Provider, r.payload AS Payload, r.response AS Response,
                   r.workflow_run_id AS WorkflowRunId, r.credential_id AS CredentialId,
                   (SELECT u.trace_parent FROM runs u WHERE u.id = a.run_id) AS RunTraceParent
            FROM approvals a
            JOIN action_requests r ON r.id = a.action_request_id
            JOIN agents g ON g.id = a.agent_id
            JOIN workspaces w ON w.id = a.workspace_id
            WHERE a.id = @id
            """
            + (workspaceId is null ? "" : " AND a.workspace_id = @workspaceId")
            + database.Dialect.ForNoKeyUpdateOf("a");
        return c.QueryFirstOrDefaultAsync<DecisionTarget>(sql, new { id, workspaceId }, t);
    }
}
