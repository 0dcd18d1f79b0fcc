using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// <c>GET /api/approvals/{id}[?waitSeconds=N]</c>. With an agent key (<c>pk_…</c>) it answers the agent's view; with a
/// member token the approver's view. Either way scoped to the caller's workspace. <c>waitSeconds</c> long-polls: the
/// store is re-read (see <see cref="ApprovalWaiter"/>) until the approval settles.
/// </summary>
public static class GetApproval
{
    public const int MaxWaitSeconds = 60;

    public static async Task<Results<Ok<ApprovalDto>, Ok<ApprovalDetailDto>, ProblemHttpResult, EmptyHttpResult>> Handle(
        HttpContext http, string id, string? waitSeconds, ApprovalQueries queries, ApprovalWaiter waiter)
    {
        var ct = http.RequestAborted;
        // The route requires an agent key or a member token (RequireAgentKeyOrMember): one of the two is here.
        var agent = http.FindAgent();
        var asAgent = agent is not null;
        var workspaceId = agent?.WorkspaceId ?? http.User.GetMember().WorkspaceId;

        var wait = 0;
        if (waitSeconds is not null
            && (!int.TryParse(waitSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out wait) || wait > MaxWaitSeconds))
        {
            return Problems.Validation("waitSeconds", $"must be an integer between 0 and {MaxWaitSeconds}");
        }

        try
        {
            var row = await waiter.WaitAsync(id, workspaceId, TimeSpan.FromSeconds(wait), ct);
            if (row is null)
            {
                return Problems.NotFound($"approval `{id}`");
            }

            return asAgent
                ? TypedResults.Ok(row.ToDto())
                : TypedResults.Ok(await queries.DetailAsync(row, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller hung up mid-wait: nobody is listening for an answer.
            return TypedResults.Empty;
        }
    }
}
