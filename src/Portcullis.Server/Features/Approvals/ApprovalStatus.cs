namespace Portcullis.Server.Features.Approvals;

/// <summary>The states of an approval: pending until approved, rejected or expired, and final after that.</summary>
public static class ApprovalStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Expired = "expired";

    public static readonly string[] All = [Pending, Approved, Rejected, Expired];
}

/// <summary>The problem codes of the approvals API that the shared <c>ErrorCodes</c> does not already name.</summary>
public static class ApprovalErrors
{
    /// <summary>409: the approval is no longer pending (approved, rejected or expired).</summary>
    public const string AlreadyDecided = "already_decided";

    /// <summary>403: the member owns the agent that asked, and the workspace forbids self-approval.</summary>
    public const string SelfApprovalForbidden = "self_approval_forbidden";

    /// <summary>400: a payload sent with an approval whose policies do not allow edits (<c>allowEdit</c>).</summary>
    public const string EditNotAllowed = "edit_not_allowed";

    /// <summary>409: the policies block the edited payload; the approval stays pending.</summary>
    public const string EditBlocked = "edit_blocked";

    /// <summary>403: the approval is routed to an approver group the member is not in.</summary>
    public const string NotInApproverGroup = "not_in_approver_group";
}

/// <summary>Section <c>Portcullis:Approvals</c>.</summary>
public sealed class ApprovalOptions
{
    public const string Section = "Portcullis:Approvals";

    /// <summary>How often the background sweep expires past-due approvals. Reads and decisions also expire lazily.</summary>
    public double SweepIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// No longer read: long-polls sleep on the change feed instead of re-reading the store. Kept so existing configuration
    /// still binds and validates.
    /// </summary>
    public int LongPollIntervalMs { get; set; } = 200;

    /// <summary>How often the callback outbox looks for deliveries that are due.</summary>
    public int CallbackPollIntervalMs { get; set; } = 500;

    /// <summary>Time-out of one callback attempt, response included.</summary>
    public double CallbackTimeoutSeconds { get; set; } = 10;
}
