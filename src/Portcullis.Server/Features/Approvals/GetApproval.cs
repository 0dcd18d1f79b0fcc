using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// <c>GET /api/approvals/{id}[?waitSeconds=N]</c>. With an agent key (<c>pk_…</c>) it answers the agent's view; with a
/// member token the approver's view. Either way scoped to the caller's workspace. <c>waitSeconds</c> long-polls: the
/// store is re-read every ~200 ms (so a decision on any instance ends the wait) until the approval settles.
/// </summary>
public static class GetApproval
{
    public const int MaxWaitSeconds = 60;

    public static async Task<Results<Ok<ApprovalDto>, Ok<ApprovalDetailDto>, ProblemHttpResult, EmptyHttpResult>> Handle(
        HttpContext http, string id, string? waitSeconds, ApprovalQueries queries, ApprovalExpiry expiry,
        IOptions<ApprovalOptions> options, TimeProvider time)
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

        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(wait);
        var interval = TimeSpan.FromMilliseconds(options.Value.LongPollIntervalMs);
        try
        {
            while (true)
            {
                var row = await queries.FindAsync(id, workspaceId, ct);
                if (row is null)
                {
                    return Problems.NotFound($"approval `{id}`");
                }

                if (row.IsDue(time.Now()))
                {
                    await expiry.ExpireIfDueAsync(id, ct);
                    continue;
                }

                var left = deadline - time.GetUtcNow();
                if (row.IsSettled || left <= TimeSpan.Zero)
                {
                    return asAgent
                        ? TypedResults.Ok(row.ToDto())
                        : TypedResults.Ok(await queries.DetailAsync(row, ct));
                }

                await Task.Delay(left < interval ? left : interval, time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller hung up mid-wait: nobody is listening for an answer.
            return TypedResults.Empty;
        }
    }
}
