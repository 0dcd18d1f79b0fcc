using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Approvals.Edits;
using Portcullis.Server.Features.Freeze;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Outcome = Portcullis.Server.Features.Approvals.ApprovalDecider.Outcome;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// <c>POST /api/approvals/{id}/approve</c> and <c>…/reject</c>, body <c>{ comment?, payload? }</c> (comment at most 2000
/// characters). Approver role or above. A <c>payload</c> edits the action before approving it, when its policies allow
/// edits: it is checked against the action's schema and the policies again (see <see cref="EditChecker"/>). Answers the
/// approval as it stands after the decision.
/// </summary>
public static class DecideApproval
{
    public const int MaxCommentLength = 2000;

    /// <summary>The body of a rejection (and of an approval without an edit), for OpenAPI.</summary>
    public sealed record Request(string? Comment);

    public static Task<Results<Ok<ApprovalDetailDto>, ProblemHttpResult>> Approve(
        HttpContext http, string id, ApprovalDecider decider, EditChecker edits, ApprovalQueries queries, IOptions<LimitsOptions> limits) =>
        HandleAsync(http, id, approve: true, decider, edits, queries, limits.Value);

    public static Task<Results<Ok<ApprovalDetailDto>, ProblemHttpResult>> Reject(
        HttpContext http, string id, ApprovalDecider decider, EditChecker edits, ApprovalQueries queries, IOptions<LimitsOptions> limits) =>
        HandleAsync(http, id, approve: false, decider, edits, queries, limits.Value);

    private static async Task<Results<Ok<ApprovalDetailDto>, ProblemHttpResult>> HandleAsync(
        HttpContext http, string id, bool approve, ApprovalDecider decider, EditChecker edits, ApprovalQueries queries, LimitsOptions limits)
    {
        var member = http.User.GetMember();
        var (body, problem) = await ApproveBody.ReadAsync(http, limits, approve);
        if (problem is not null)
        {
            return problem;
        }

        ApprovalEdit? edit = null;
        if (body.Payload is { } payload)
        {
            var check = await edits.CheckAsync(member.WorkspaceId, id, payload, http.RequestAborted);
            if (check is not EditCheck.Accepted accepted)
            {
                return Refusal(id, check);
            }

            edit = accepted.Edit;
        }

        // Not the request's token: once sent, a decision is made (and an approval executed) even if the caller hangs up.
        var result = await decider.DecideAsync(member, id, approve, body.Comment, CancellationToken.None, edit);
        if (ProblemOf(id, result) is { } refused)
        {
            return refused;
        }

        var row = await queries.FindAsync(id, member.WorkspaceId, CancellationToken.None);
        return TypedResults.Ok(await queries.DetailAsync(row!, CancellationToken.None));
    }

    private static ProblemHttpResult Refusal(string id, EditCheck check) => check switch
    {
        EditCheck.NotAllowed => Problems.Create(400, ApprovalErrors.EditNotAllowed, "Bad request",
            $"the policies that hold approval `{id}` do not allow edits (`allowEdit`); approve or reject it without a payload"),
        EditCheck.Invalid invalid => Problems.Validation(FieldErrors.From(invalid.Errors)),
        EditCheck.Blocked blocked => Problems.Create(409, ApprovalErrors.EditBlocked, "Conflict",
            $"the policies block the edited payload: {blocked.Reason}; approval `{id}` is still pending",
            new Dictionary<string, object?> { ["reason"] = blocked.Reason, ["policies"] = blocked.Policies }),
        EditCheck.Closed closed => Problems.Conflict($"approval `{id}` can no longer be edited: it is {closed.Status}", ApprovalErrors.AlreadyDecided),
        _ => Problems.NotFound($"approval `{id}`"),
    };

    private static ProblemHttpResult? ProblemOf(string id, ApprovalDecider.Result result) => result.Outcome switch
    {
        Outcome.NotFound => Problems.NotFound($"approval `{id}`"),
        Outcome.Expired => Problems.Conflict($"approval `{id}` expired before it was decided; it can no longer be approved or rejected", ApprovalErrors.AlreadyDecided),
        Outcome.AlreadyDecided => Problems.Conflict($"approval `{id}` has already been decided: it is {result.Status}", ApprovalErrors.AlreadyDecided),
        Outcome.SelfApprovalForbidden => Problems.Create(403, ApprovalErrors.SelfApprovalForbidden, "Forbidden",
            "you own the agent that requested this action, and this workspace forbids self-approval; another approver must approve it"),
        Outcome.Frozen => Problems.Conflict($"approval `{id}` cannot be approved while its agent is frozen: {result.FreezeReason}", FreezeErrorCodes.AgentFrozen),
        Outcome.NotInGroup => Problems.Create(403, ApprovalErrors.NotInApproverGroup, "Forbidden",
            $"approval `{id}` is decided by the approver group `{result.Group}`, and you are not a member of it"),
        Outcome.AlreadyApproved => Problems.Conflict(
            $"you have already approved approval `{id}`; it needs {result.ApprovalsRequired} distinct approvers, and a second approval from you counts once"),
        _ => null,
    };
}
