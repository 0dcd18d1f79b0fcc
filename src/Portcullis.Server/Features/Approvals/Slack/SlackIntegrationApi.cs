using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// <c>/api/integrations/slack</c> (admin): connect the workspace's Slack app for approvals (<c>PUT { botToken, signingSecret,
/// defaultChannel }</c>, checked with <c>auth.test</c>, which also names the team), read it (never its secrets) and
/// disconnect it. <c>POST …/interactions</c> receives Slack's button clicks (see <see cref="SlackInteractions"/>).
/// </summary>
public static class SlackIntegrationApi
{
    public const string AuthFailed = "slack_auth_failed";

    public sealed record PutRequest(string BotToken, string SigningSecret, string DefaultChannel);

    /// <summary>The connection as shown: no secret, only the token's hint.</summary>
    public sealed record SlackIntegrationDto(
        bool Connected, string? TeamId, string? TeamName, string? DefaultChannel, string? TokenHint, string? ConnectedAt, string? UpdatedAt);

    public static RouteGroupBuilder MapSlackApprovals(this RouteGroupBuilder group)
    {
        group.MapGet("/integrations/slack", Get).RequireAuthorization(RolePolicies.Admin);
        group.MapPut("/integrations/slack", Put).RequireAuthorization(RolePolicies.Admin).Accepts<PutRequest>("application/json");
        group.MapDelete("/integrations/slack", Delete).RequireAuthorization(RolePolicies.Admin);
        // Slack calls this one: no member or agent identity, the request signature is the authentication.
        group.MapPost("/integrations/slack/interactions", SlackInteractions.Handle).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapGet("/me/slack", SlackLinksApi.Get).RequireAuthorization(RolePolicies.Viewer);
        group.MapPut("/me/slack", SlackLinksApi.Put).RequireAuthorization(RolePolicies.Viewer).Accepts<SlackLinksApi.LinkRequest>("application/json");
        return group;
    }

    public static async Task<Ok<SlackIntegrationDto>> Get(HttpContext http, SlackIntegrationStore store) =>
        TypedResults.Ok(ToDto(await store.FindAsync(http.User.GetMember().WorkspaceId, http.RequestAborted)));

    public static async Task<Results<Ok<SlackIntegrationDto>, ProblemHttpResult>> Put(
        HttpContext http, SlackConnect connect, IOptions<LimitsOptions> limits)
    {
        var body = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        PutRequest request;
        using (var document = body.Document!)
        {
            var f = new JsonFields(document.RootElement, new FieldErrors());
            request = new(f.String("botToken", required: true, maxLength: 300)!, f.String("signingSecret", required: true, maxLength: 200)!,
                f.String("defaultChannel", required: true, maxLength: 80)!);
            if (f.Errors.Any)
            {
                return Problems.Validation(f.Errors);
            }
        }

        var member = http.User.GetMember();
        var result = await connect.ConnectAsync(member.WorkspaceId, member.UserId, request.BotToken, request.SigningSecret, request.DefaultChannel,
            http.RequestAborted);
        return result.Saved is { } saved ? TypedResults.Ok(ToDto(saved)) : Problems.Create(400, AuthFailed, "Bad request", result.Refusal!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext http, SlackIntegrationStore store)
    {
        var member = http.User.GetMember();
        return await store.DeleteAsync(member.WorkspaceId, member.UserId, CancellationToken.None)
            ? TypedResults.NoContent()
            : Problems.NotFound("a Slack integration");
    }

    private static SlackIntegrationDto ToDto(SlackIntegration? s) => s is null
        ? new(false, null, null, null, null, null, null)
        : new(true, s.TeamId, s.TeamName, s.DefaultChannel, s.TokenHint, Times.ToIso(s.CreatedAt), Times.ToIso(s.UpdatedAt));
}
