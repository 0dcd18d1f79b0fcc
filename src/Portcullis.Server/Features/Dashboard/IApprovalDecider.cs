using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Dashboard;

/// <summary>
/// Records an approver's decision on a pending approval. The dashboard's Approve and Reject forms call
/// whatever implementation is registered in DI (the approvals feature's, the same one behind
/// <c>POST /api/approvals/{id}/approve|reject</c>); with none registered the page says approvals are not available.
/// </summary>
/// <remarks>
/// The dashboard has already checked that <paramref name="member"/> holds the approver role or above.
/// The implementation owns every other rule: workspace scoping, the self-approval rule, N distinct
/// approvers, expiry, and executing the action exactly once.
/// </remarks>
public interface IApprovalDecider
{
    Task<DecisionOutcome> DecideAsync(Member member, string approvalId, bool approve, string? comment, CancellationToken ct);
}

public enum DecisionStatus
{
    /// <summary>The decision was recorded; <see cref="DecisionOutcome.Message"/> may say what followed (executed, one more approver needed).</summary>
    Ok,

    /// <summary>The approval is no longer pending (decided by someone else, or expired).</summary>
    AlreadyDecided,

    /// <summary>This member may not decide it (for example, they started the run); the message says why.</summary>
    Forbidden,

    /// <summary>No such approval in the member's workspace.</summary>
    NotFound,
}

/// <summary>The result of a decision, with a sentence the dashboard shows as is.</summary>
public sealed record DecisionOutcome(DecisionStatus Status, string? Message = null)
{
    public static DecisionOutcome Ok(string? message = null) => new(DecisionStatus.Ok, message);

    public static DecisionOutcome AlreadyDecided(string? message = null) => new(DecisionStatus.AlreadyDecided, message);

    public static DecisionOutcome Forbidden(string message) => new(DecisionStatus.Forbidden, message);

    public static DecisionOutcome NotFound() => new(DecisionStatus.NotFound);
}
