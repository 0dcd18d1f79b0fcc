using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Approvals;

/// <summary>
/// <c>GET /api/approvals?status=&amp;agentId=&amp;actionType=&amp;limit=&amp;cursor=</c>: the approvers' queue. With
/// <c>status=pending</c> it is oldest first (first come, first decided); otherwise newest first.
/// </summary>
public static class ListApprovals
{
    public static async Task<Results<Ok<ApprovalPage>, ProblemHttpResult>> Handle(
        HttpContext http, ApprovalQueries queries, ApprovalExpiry expiry, string? status, string? agentId, string? actionType, string? limit, string? cursor)
    {
        var member = http.User.GetMember();
        var errors = new FieldErrors();
        if (status is not null && !ApprovalStatus.All.Contains(status))
        {
            errors.Add("status", $"must be one of {string.Join(", ", ApprovalStatus.All.Select(s => $"`{s}`"))}");
        }

        var take = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 200))
        {
            errors.Add("limit", "must be between 1 and 200");
        }

        var after = ApprovalCursor.Decode(cursor);
        if (cursor is not null && after is null)
        {
            errors.Add("cursor", "is not a cursor this API returned");
        }

        if (errors.Any)
        {
            return Problems.Validation(errors);
        }

        var ct = http.RequestAborted;
        // Lazy expiry: the queue never offers an approval whose time is up.
        await expiry.SweepAsync(member.WorkspaceId, ct);
        var rows = await queries.ListAsync(member.WorkspaceId, new(status, agentId, actionType, take + 1, after), ct);
        var page = rows.Take(take).ToList();
        var decisions = await queries.DecisionsAsync(page.Select(r => r.Id).ToList(), ct);
        var next = rows.Count > take ? new ApprovalCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return TypedResults.Ok(new ApprovalPage(page.Select(r => r.ToDetailDto(decisions[r.Id].ToList())).ToList(), next));
    }
}
