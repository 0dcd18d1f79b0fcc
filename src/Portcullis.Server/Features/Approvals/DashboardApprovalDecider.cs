using Portcullis.Server.Features.Dashboard;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Approvals;

/// <summary>The dashboard's Approve/Reject forms, decided by the same code as the REST API.</summary>
public sealed class DashboardApprovalDecider(ApprovalDecider decider) : IApprovalDecider
{
    public async Task<DecisionOutcome> DecideAsync(Member member, string approvalId, bool approve, string? comment, CancellationToken ct)
    {
        var result = await decider.DecideAsync(member, approvalId, approve, comment, ct, channel: DecisionChannel.Dashboard);
        return result.Outcome switch
        {
            ApprovalDecider.Outcome.Approved => DecisionOutcome.Ok("Approved. The action was sent to its connector."),
            ApprovalDecider.Outcome.Rejected => DecisionOutcome.Ok("Rejected. The action will not run."),
            ApprovalDecider.Outcome.Counted => DecisionOutcome.Ok($"Your approval is counted; {result.ApprovalsRequired} distinct approvers are needed."),
            ApprovalDecider.Outcome.NotFound => DecisionOutcome.NotFound(),
            ApprovalDecider.Outcome.Expired => DecisionOutcome.AlreadyDecided("This request expired before anyone decided; it will not run."),
            ApprovalDecider.Outcome.AlreadyApproved => DecisionOutcome.AlreadyDecided("You have already approved this request."),
            ApprovalDecider.Outcome.Frozen => DecisionOutcome.AlreadyDecided($"The agent is frozen ({result.FreezeReason}); unfreeze it before approving."),
            ApprovalDecider.Outcome.NotInGroup => DecisionOutcome.Forbidden($"Only members of the approver group `{result.Group}` decide this request."),
            ApprovalDecider.Outcome.SelfApprovalForbidden => DecisionOutcome.Forbidden("You own the agent that requested this action, and this workspace forbids self-approval: another approver must approve it."),
            _ => DecisionOutcome.AlreadyDecided($"Someone already decided this request ({result.Status})."),
        };
    }
}
