namespace Portcullis.Connectors.Slack;

/// <summary>Slack: a bot token of a Slack app installed in the workspace.</summary>
internal static class SlackDescriptor
{
    public static readonly ConnectorDescriptor Descriptor = new()
    {
        Provider = ProviderNames.Slack,
        DisplayName = "Slack",
        SetupGuide = """
            At api.slack.com/apps create an app, add the bot token scope `chat:write` (and `chat:write.public`
            to post in channels the bot has not joined; `users:read` and `users:read.email` to look members up
            by email), install it to your workspace, and paste the
            Bot User OAuth Token (`xoxb-…`). Invite the bot to private channels it should post in.
            """,
        CredentialFields = [new("botToken", "Bot token", Secret: true, Required: true, Hint: true)],
        BaseUrl = "https://slack.com",
        Actions = SlackActions.Actions,
        Connector = new SlackConnector(),
    };
}
