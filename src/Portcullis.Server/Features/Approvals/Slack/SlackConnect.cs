namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>
/// Connects a workspace's Slack app for approvals, for the API and the dashboard alike: the bot token is checked with
/// <c>auth.test</c> (which names the team that interactions are matched by) before anything is stored.
/// </summary>
public sealed class SlackConnect(SlackIntegrationStore store, SlackWebApi slack)
{
    /// <summary>The saved connection, or Slack's refusal of the token (nothing saved).</summary>
    public readonly record struct Result(SlackIntegration? Saved, string? Refusal);

    public async Task<Result> ConnectAsync(string workspaceId, string userId, string botToken, string signingSecret, string defaultChannel, CancellationToken ct)
    {
        var auth = await slack.AuthTestAsync(botToken.Trim(), ct);
        if (!auth.Ok || auth.Text("team_id") is not { Length: > 0 } teamId)
        {
            return new(null, $"slack refused the bot token (`{auth.Error ?? "no team_id"}`); nothing was saved");
        }

        var saved = await store.SaveAsync(workspaceId, userId, teamId, auth.Text("team"), defaultChannel.Trim().TrimStart('#'),
            new SlackSecrets(botToken.Trim(), signingSecret.Trim()), CancellationToken.None);
        return new(saved, null);
    }
}
