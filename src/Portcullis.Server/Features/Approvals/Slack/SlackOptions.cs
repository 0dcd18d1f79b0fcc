namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>Section <c>Portcullis:Slack</c>: where Slack's Web API is (tests point it at a local fake) and how long a call may take.</summary>
public sealed class SlackOptions
{
    public const string Section = "Portcullis:Slack";

    public string ApiBaseUrl { get; set; } = "https://slack.com/api";

    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How many times a failed post or update is tried before it is recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 5;
}
