using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// <c>GET/PUT /api/me/slack</c>: the signed-in member's Slack user id (<c>{ slackUserId }</c>; null unlinks). 409
/// <c>slack_user_taken</c> when another member of the workspace already linked it.
/// </summary>
public static class SlackLinksApi
{
    public const string Taken = "slack_user_taken";

    public sealed record LinkRequest(string? SlackUserId);

    public sealed record LinkDto(string? SlackUserId);

    public static async Task<Ok<LinkDto>> Get(HttpContext http, SlackLinks links)
    {
        var member = http.User.GetMember();
        return TypedResults.Ok(new LinkDto(await links.FindAsync(member.WorkspaceId, member.UserId, http.RequestAborted)));
    }

    public static async Task<Results<Ok<LinkDto>, ProblemHttpResult>> Put(HttpContext http, SlackLinks links, IOptions<LimitsOptions> limits)
    {
        var body = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        string? slackUserId;
        using (var document = body.Document!)
        {
            if (!document.RootElement.TryGetProperty("slackUserId", out var value) || value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return Problems.Validation("slackUserId", "must be a Slack user id (`U…`) or null");
            }

            slackUserId = value.ValueKind == JsonValueKind.Null || value.GetString()!.Trim().Length == 0 ? null : value.GetString()!.Trim();
        }

        if (slackUserId is not null && !SlackLinks.IsUserId(slackUserId))
        {
            return Problems.Validation("slackUserId", "must be a Slack user id such as `U024BE7LH` (Slack: profile → ⋮ → Copy member ID)");
        }

        var member = http.User.GetMember();
        return await links.SetAsync(member.WorkspaceId, member.UserId, slackUserId, CancellationToken.None) == SlackLinks.Change.Taken
            ? Problems.Conflict($"the Slack user `{slackUserId}` is already linked to another member of this workspace", Taken)
            : TypedResults.Ok(new LinkDto(slackUserId));
    }
}
