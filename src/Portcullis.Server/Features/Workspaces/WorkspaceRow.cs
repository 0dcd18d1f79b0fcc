namespace Portcullis.Server.Features.Workspaces;

/// <summary>A row of <c>workspaces</c>; settings are columns so they can be read in the same query.</summary>
public sealed class WorkspaceRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public long CreatedAt { get; init; }
    public string DefaultDecision { get; init; } = "allow";
    public string ConnectorMode { get; init; } = "demo";
    public long ApprovalExpirySeconds { get; init; }
    public bool ForbidSelfApproval { get; init; }
    public string BillingState { get; init; } = Billing.Active;
    public long? BillingTrialEndsAt { get; init; }
    public long? BillingPastDueSince { get; init; }
    public long BillingGraceDays { get; init; }

    /// <summary>Bumped by every policy change, so each instance knows when its compiled set is stale.</summary>
    public long PolicyRevision { get; init; }

    /// <summary>The kill switch: set (with a non-null reason) while every agent of the workspace is frozen.</summary>
    public long? FrozenAt { get; init; }
    public string? FrozenReason { get; init; }
    public string? FrozenBy { get; init; }

    /// <summary>
    /// Every event type its subscriptions ask for, as their comma-bracketed lists joined (<c>workspaces.event_types</c>, kept
    /// by every subscription change); null when this row was not read from the database (then the outbox reads the subscriptions).
    /// </summary>
    public string? EventTypes { get; init; }

    public const string Columns =
        "id AS Id, name AS Name, created_at AS CreatedAt, default_decision AS DefaultDecision, connector_mode AS ConnectorMode, " +
        "approval_expiry_seconds AS ApprovalExpirySeconds, forbid_self_approval AS ForbidSelfApproval, billing_state AS BillingState, " +
        "billing_trial_ends_at AS BillingTrialEndsAt, billing_past_due_since AS BillingPastDueSince, billing_grace_days AS BillingGraceDays, " +
        "policy_revision AS PolicyRevision, frozen_at AS FrozenAt, frozen_reason AS FrozenReason, frozen_by AS FrozenBy, event_types AS EventTypes";
}
