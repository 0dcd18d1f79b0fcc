using Microsoft.AspNetCore.Mvc;
using Portcullis.Server.Features.Dashboard.Approvals;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Features.Dashboard.Web;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Dashboard.Pages.Approvals;

/// <summary>
/// One approval with everything the approver needs, and Approve/Reject with a comment. The decision
/// goes to the registered <see cref="IApprovalDecider"/>; without one the page says approvals are not available.
/// </summary>
public sealed class DetailModel(Database database, TimeProvider time, IApprovalDecider? decider = null) : DashboardPage
{
    public const int MaxComment = 1000;

    public ApprovalView Approval { get; private set; } = null!;

    public long Now { get; private set; }

    public bool DeciderAvailable => decider is not null;

    public string Status => Approval.DisplayStatus(Now);

    /// <summary>The comment typed before a refused decision, shown again so nothing typed is lost.</summary>
    public string? Comment { get; private set; }

    /// <summary>The self-approval rule, said before the click: this member owns the agent, so they may reject but not approve.</summary>
    public bool OwnsAgent => Approval.ForbidSelfApproval && Approval.AgentOwnerUserId == Member.UserId;

    /// <summary>The approval is routed to an approver group this member is not in: they may neither approve nor reject it.</summary>
    public bool OutsideGroup { get; private set; }

    /// <summary>Why the agent (or its workspace) is frozen, if it is: then the action cannot be approved, only rejected.</summary>
    public string? FrozenReason { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id) => await LoadAsync(id) ? Page() : Missing($"Approval {id}");

    [RequiresRole(Role.Approver)]
    public async Task<IActionResult> OnPostDecideAsync(string id, string? decision, string? comment)
    {
        Comment = comment;
        if (!await LoadAsync(id))
        {
            return Missing($"Approval {id}");
        }

        if (decider is null)
        {
            Fail(FormProblem.Of("Approvals are not available on this server yet.", StatusCodes.Status409Conflict));
            return Page();
        }

        if (decision is not ("approve" or "reject") || comment?.Length > MaxComment)
        {
            Fail(FormProblem.Of(comment?.Length > MaxComment ? $"The comment must be at most {MaxComment} characters." : "Choose Approve or Reject."));
            return Page();
        }

        var outcome = await decider.DecideAsync(Member, id, decision == "approve", string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), Aborted);
        switch (outcome.Status)
        {
            case DecisionStatus.Ok:
                Flash(outcome.Message ?? (decision == "approve" ? "Approved." : "Rejected."));
                return LocalRedirect($"/approvals/{Uri.EscapeDataString(id)}");
            case DecisionStatus.NotFound:
                return Missing($"Approval {id}");
            default:
                await LoadAsync(id);
                Fail(FormProblem.Of(outcome.Message ?? (outcome.Status == DecisionStatus.AlreadyDecided
                    ? "This approval has already been decided."
                    : "You may not decide this approval."), outcome.Status == DecisionStatus.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict));
                return Page();
        }
    }

    private async Task<bool> LoadAsync(string id)
    {
        Now = time.Now();
        var approval = await ApprovalView.FindAsync(database, Member.WorkspaceId, id, Aborted);
        if (approval is null)
        {
            return false;
        }

        Approval = approval;
        FrozenReason = approval.Status == "pending" ? await Portcullis.Server.Features.Freeze.FreezeReader.ReasonAsync(database, approval.AgentId, Aborted) : null;
        if (approval.ApproverGroup is { } group)
        {
            await using var c = await database.OpenAsync(Aborted);
            OutsideGroup = !await Portcullis.Server.Features.Approvals.Groups.ApproverGroupStore.IsMemberAsync(c, null, Member.WorkspaceId, group, Member.UserId);
        }

        return true;
    }
}
