using System.Text.Json;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Approvals;

/// <summary>
/// An approval with everything an approver needs: the action, its payload and evidence, why policy
/// asked for approval, the run and the agent. Read from the <c>approvals</c> table for display only;
/// decisions go through <see cref="IApprovalDecider"/>.
/// </summary>
public sealed class ApprovalView
{
    public string Id { get; init; } = "";
    public string Status { get; init; } = "";
    public long ApprovalsRequired { get; init; }
    public long CreatedAt { get; init; }
    public long ExpiresAt { get; init; }
    public long? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string? DecidedByEmail { get; init; }
    public string? Comment { get; init; }

    /// <summary>Where the final decision came from: dashboard, api, slack, email or expiry (null before channels were recorded).</summary>
    public string? DecidedChannel { get; init; }
    public string RunId { get; init; } = "";
    public string RunStatus { get; init; } = "";
    public string TriggerType { get; init; } = "";
    public string? ExternalRef { get; init; }
    public string? TriggeredBy { get; init; }
    public string AgentId { get; init; } = "";
    public string AgentName { get; init; } = "";
    public string ActionRequestId { get; init; } = "";
    public string ActionType { get; init; } = "";
    public string? Provider { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public string Reason { get; init; } = "";
    public string MatchedPolicies { get; init; } = "[]";
    public string Payload { get; init; } = "{}";
    public string? Evidence { get; init; }
    public long? PolicyRevision { get; init; }

    /// <summary>The approved arguments' SHA-256 (lowercase hex); the page shows its first digits, the full value on hover.</summary>
    public string? ArgumentsDigest { get; init; }

    /// <summary>The approver group that decides (null: any approver), where it escalates, and when it did.</summary>
    public string? ApproverGroup { get; init; }
    public string? EscalateTo { get; init; }
    public long? EscalatedAt { get; init; }

    /// <summary>The member who owns the agent; with <see cref="ForbidSelfApproval"/> they may reject but not approve.</summary>
    public string? AgentOwnerUserId { get; init; }

    public bool ForbidSelfApproval { get; init; }

    /// <summary>The status as a person reads it: a pending approval past its expiry is expired even before a sweeper marks it.</summary>
    public string DisplayStatus(long now) => Status == "pending" && ExpiresAt <= now ? "expired" : Status;

    public bool IsOpen(long now) => DisplayStatus(now) == "pending";

    public JsonElement PayloadJson => Parse(Payload);

    public JsonElement? EvidenceJson => Evidence is null ? null : Parse(Evidence);

    public JsonElement MatchedJson => Parse(MatchedPolicies);

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private const string Select =
        """
        SELECT ap.id AS Id, ap.status AS Status, ap.approvals_required AS ApprovalsRequired, ap.created_at AS CreatedAt, ap.expires_at AS ExpiresAt,
               ap.decided_at AS DecidedAt, ap.decided_by AS DecidedBy, u.email AS DecidedByEmail, ap.comment AS Comment, ap.decided_channel AS DecidedChannel,
               ap.run_id AS RunId, r.status AS RunStatus, r.trigger_type AS TriggerType, r.external_ref AS ExternalRef, r.triggered_by AS TriggeredBy,
               ap.agent_id AS AgentId, g.name AS AgentName, a.id AS ActionRequestId, a.action_type AS ActionType, a.provider AS Provider,
               a.resource_type AS ResourceType, a.resource_id AS ResourceId, a.reason AS Reason, a.matched_policies AS MatchedPolicies,
               a.payload AS Payload, a.evidence AS Evidence, a.policy_revision AS PolicyRevision, ap.arguments_digest AS ArgumentsDigest,
               ap.approver_group AS ApproverGroup, ap.escalate_to AS EscalateTo, ap.escalated_at AS EscalatedAt,
               g.owner_user_id AS AgentOwnerUserId, w.forbid_self_approval AS ForbidSelfApproval
        FROM approvals ap
        JOIN action_requests a ON a.id = ap.action_request_id
        JOIN runs r ON r.id = ap.run_id
        JOIN agents g ON g.id = ap.agent_id
        JOIN workspaces w ON w.id = ap.workspace_id
        LEFT JOIN users u ON u.id = ap.decided_by
        """;

    /// <summary>The queue: pending and not yet expired, oldest first (the one waiting longest comes first).</summary>
    public static async Task<List<ApprovalView>> PendingAsync(Database database, string workspaceId, long now, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<ApprovalView>(
            $"{Select} WHERE ap.workspace_id = @workspaceId AND ap.status = 'pending' AND ap.expires_at > @now ORDER BY ap.created_at, ap.id LIMIT 200",
            new { workspaceId, now })).ToList();
    }

    /// <summary>The most recent approvals that are no longer waiting (decided or expired).</summary>
    public static async Task<List<ApprovalView>> RecentAsync(Database database, string workspaceId, long now, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<ApprovalView>(
            $"{Select} WHERE ap.workspace_id = @workspaceId AND (ap.status <> 'pending' OR ap.expires_at <= @now) ORDER BY ap.created_at DESC, ap.id DESC LIMIT 20",
            new { workspaceId, now })).ToList();
    }

    public static async Task<ApprovalView?> FindAsync(Database database, string workspaceId, string id, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<ApprovalView>($"{Select} WHERE ap.workspace_id = @workspaceId AND ap.id = @id", new { workspaceId, id });
    }
}
