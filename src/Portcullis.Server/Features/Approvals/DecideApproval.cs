using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Outcome = Portcullis.Server.Features.Approvals.ApprovalDecider.Outcome;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// <c>POST /api/approvals/{id}/approve</c> and <c>…/reject</c>, body <c>{ comment? }</c> (optional, at most 2000
/// characters). Approver role or above. Answers the approval as it stands after the decision.
/// </summary>
public static class DecideApproval
{
    public const int MaxCommentLength = 2000;

    public sealed record Request(string? Comment);

    public static Task<Results<Ok<ApprovalDetailDto>, ProblemHttpResult>> Approve(
        HttpContext http, string id, ApprovalDecider decider, ApprovalQueries queries, IOptions<LimitsOptions> limits) =>
        HandleAsync(http, id, approve: true, decider, queries, limits.Value);

    public static Task<Results<Ok<ApprovalDetailDto>, ProblemHttpResult>> Reject(
        HttpContext http, string id, ApprovalDecider decider, ApprovalQueries queries, IOptions<LimitsOptions> limits) =>
        HandleAsync(http, id, approve: false, decider, queries, limits.Value);

    private static async Task<Results<Ok<ApprovalDetailDto>, ProblemHttpResult>> HandleAsync(
        HttpContext http, string id, bool approve, ApprovalDecider decider, ApprovalQueries queries, LimitsOptions limits)
    {
        var member = http.User.GetMember();
        var (comment, problem) = await OptionalBody.ReadTextAsync(http, limits.MaxBodyBytes, "comment", MaxCommentLength);
        if (problem is not null)
        {
            return problem;
        }

        // Not the request's token: once sent, a decision is made (and an approval executed) even if the caller hangs up.
        var result = await decider.DecideAsync(member, id, approve, comment, CancellationToken.None);
        switch (result.Outcome)
        {
            case Outcome.NotFound:
                return Problems.NotFound($"approval `{id}`");
            case Outcome.Expired:
                return Problems.Conflict($"approval `{id}` expired before it was decided; it can no longer be approved or rejected", ApprovalErrors.AlreadyDecided);
            case Outcome.AlreadyDecided:
                return Problems.Conflict($"approval `{id}` has already been decided: it is {result.Status}", ApprovalErrors.AlreadyDecided);
            case Outcome.SelfApprovalForbidden:
                return Problems.Create(403, ApprovalErrors.SelfApprovalForbidden, "Forbidden",
                    "you own the agent that requested this action, and this workspace forbids self-approval; another approver must approve it");
            case Outcome.Frozen:
                return Problems.Conflict($"approval `{id}` cannot be approved while its agent is frozen: {result.FreezeReason}", FreezeErrorCodes.AgentFrozen);
            case Outcome.AlreadyApproved:
                return Problems.Conflict(
                    $"you have already approved approval `{id}`; it needs {result.ApprovalsRequired} distinct approvers, and a second approval from you counts once");
        }

        var row = await queries.FindAsync(id, member.WorkspaceId, CancellationToken.None);
        return TypedResults.Ok(await queries.DetailAsync(row!, CancellationToken.None));
    }
}
