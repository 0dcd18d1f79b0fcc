using Dapper;
using Portcullis.Connectors;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Actions.Dispatch;

/// <summary>What dispatching an action needs: the action as recorded, and the workspace's connector mode now.</summary>
public sealed class DispatchTarget
{
    public string ActionRequestId { get; init; } = "";
    public string WorkspaceId { get; init; } = "";
    public string RunId { get; init; } = "";
    public string AgentId { get; init; } = "";

    /// <summary>For telemetry (<c>gen_ai.agent.name</c>).</summary>
    public string? AgentName { get; init; }
    public string ActionType { get; init; } = "";
    public string Provider { get; init; } = "";
    public string Payload { get; init; } = "{}";
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }

    /// <summary>
    /// For an approved action, the digest of the arguments the approver approved (null otherwise, and for approvals
    /// recorded before digests were): dispatch sends nothing whose own digest differs.
    /// </summary>
    public string? ApprovedDigest { get; init; }

    /// <summary>The payload an approver edited before approving (then also <see cref="Payload"/>); null when not edited.</summary>
    public string? EditedPayload { get; init; }

    /// <summary>The credential a workflow step picked; null means the agent's linked one for the provider.</summary>
    public string? CredentialId { get; init; }

    /// <summary>The workflow run whose step asked for the action; null outside workflows.</summary>
    public string? WorkflowRunId { get; init; }

    public string? Response { get; init; }
    public string Decision { get; init; } = "";
    public string Reason { get; init; } = "";
    public string MatchedPolicies { get; init; } = "[]";

    /// <summary>The decision as first answered; the final answer adds the execution to it.</summary>
    public string DecisionAnswer => Response ?? DecisionAnswers.Rebuild(ActionRequestId, Decision, Reason, MatchedPolicies);

    public string ConnectorMode { get; init; } = "";

    public bool Simulated => ConnectorMode == ActionDispatcher.DemoMode && Provider != McpGateway.McpNames.Provider;

    /// <summary>For a gateway tool: whether its pinned definition says a call cannot act twice (read-only or idempotent).</summary>
    public bool GatewayRepeatSafe { get; init; }

    /// <summary>
    /// True when sending the call a second time cannot do the action twice: a simulation, a read, or a call the provider
    /// de-duplicates by the idempotency key Portcullis derives from the action request id.
    /// </summary>
    public bool SafeToRepeat => Simulated || DispatchSafety.SafeToRepeat(ActionType, Payload, GatewayRepeatSafe);

    public static Task<DispatchTarget?> LoadAsync(Database database, string actionRequestId, CancellationToken ct) =>
        database.ReadAsync(c => c.QueryFirstOrDefaultAsync<DispatchTarget>(
            """
            SELECT r.id AS ActionRequestId, r.workspace_id AS WorkspaceId, r.run_id AS RunId, r.agent_id AS AgentId, (SELECT a.name FROM agents a WHERE a.id = r.agent_id) AS AgentName, r.action_type AS ActionType,
                   r.provider AS Provider, COALESCE(ap.edited_payload, r.payload) AS Payload, r.response AS Response, r.decision AS Decision, r.reason AS Reason,
                   r.matched_policies AS MatchedPolicies, w.connector_mode AS ConnectorMode, r.resource_type AS ResourceType, r.resource_id AS ResourceId,
                   COALESCE(ap.edited_digest, ap.arguments_digest) AS ApprovedDigest, ap.edited_payload AS EditedPayload, r.credential_id AS CredentialId, r.workflow_run_id AS WorkflowRunId,
                   (SELECT COUNT(*) FROM mcp_tools t JOIN mcp_servers s ON s.id = t.server_id
                    WHERE s.workspace_id = r.workspace_id AND 'mcp.' || s.name || '.' || t.name = r.action_type
                      AND (t.read_only_hint = @yes OR t.idempotent_hint = @yes)) > 0 AS GatewayRepeatSafe
            FROM action_requests r JOIN workspaces w ON w.id = r.workspace_id
            LEFT JOIN approvals ap ON ap.action_request_id = r.id AND ap.status = 'approved'
            WHERE r.id = @actionRequestId
            """, new { actionRequestId, yes = true }), ct);
}

/// <summary>Which built-in actions may be sent again after a crash left their outcome unknown.</summary>
public static class DispatchSafety
{
    /// <summary>
    /// The catalog's hints (a read, or idempotent under the key Portcullis derives from the action request id), except a
    /// <c>ticket.update</c> that carries a comment: the PUT is idempotent, the comment it adds is not. An upstream MCP tool
    /// is not known to be idempotent: only its pinned <c>readOnlyHint</c> or <c>idempotentHint</c> (<paramref name="gatewayRepeatSafe"/>) make it so.
    /// </summary>
    public static bool SafeToRepeat(string actionType, string payloadJson, bool gatewayRepeatSafe = false) =>
        McpGateway.McpNames.IsGatewayAction(actionType)
            ? gatewayRepeatSafe
            : ActionCatalog.SafeToRepeat(actionType) && !(actionType == "ticket.update" && AddsComment(payloadJson));

    private static bool AddsComment(string payloadJson)
    {
        using var payload = System.Text.Json.JsonDocument.Parse(payloadJson);
        return payload.RootElement.TryGetProperty("comment", out var comment) && comment.ValueKind != System.Text.Json.JsonValueKind.Null;
    }
}
