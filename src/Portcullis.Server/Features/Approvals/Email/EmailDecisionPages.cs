using Outcome = Portcullis.Server.Features.Approvals.ApprovalDecider.Outcome;

namespace Portcullis.Server.Features.Approvals.Email;

/// <summary>The page for each outcome of a decision made through an email link, and whether it spent the link.</summary>
public static class EmailDecisionPages
{
    /// <summary>
    /// A refusal that a later click could get past (the agent is frozen, the approver may not approve their own agent's
    /// action but may reject it, the group changed) gives the link back; anything final spends it.
    /// </summary>
    public static (IResult Page, bool Spent) For(ApprovalDecider.Result result) => result.Outcome switch
    {
        Outcome.Approved => (EmailLinkPage.Message(200, "Approved", "The action was approved and sent to its connector."), true),
        Outcome.Rejected => (EmailLinkPage.Message(200, "Rejected", "The action was rejected; it will not run."), true),
        Outcome.Counted => (EmailLinkPage.Message(200, "Your approval is counted",
            $"This request needs {result.ApprovalsRequired} distinct approvers; it runs once the others approve."), true),
        Outcome.AlreadyApproved => (EmailLinkPage.Message(409, "You have already approved this request", "Your approval counts once."), true),
        Outcome.Expired => (EmailLinkPage.Message(410, "This request has expired", "Nothing was decided and the action will not run."), true),
        Outcome.NotFound => (EmailLinkPage.Message(404, "This link is not valid", "The request no longer exists."), true),
        Outcome.Frozen => (EmailLinkPage.Message(409, "The agent is frozen",
            $"It cannot be approved until it is unfrozen ({result.FreezeReason}). Nothing was decided; the link still works."), false),
        Outcome.SelfApprovalForbidden => (EmailLinkPage.Message(403, "Another approver must approve this",
            "You own the agent that asked for this action, and this workspace forbids self-approval. You may still reject it with this link."), false),
        Outcome.NotInGroup => (EmailLinkPage.Message(403, "You cannot decide this request",
            $"It is now decided by the approver group {result.Group}, and you are not a member of it."), false),
        _ => (EmailLinkPage.Message(409, "Already decided", $"Someone already decided this request: it is {result.Status}."), true),
    };
}
