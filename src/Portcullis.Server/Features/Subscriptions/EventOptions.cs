namespace Portcullis.Server.Features.Subscriptions;

/// <summary>Section <c>Portcullis:Events</c>: how event deliveries are polled and timed out.</summary>
public sealed class EventOptions
{
    public const string Section = "Portcullis:Events";

    /// <summary>How often the delivery worker looks for deliveries that are due.</summary>
    public int PollIntervalMs { get; set; } = 500;

    /// <summary>Time-out of one delivery attempt, response included.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>At most this many subscriptions per workspace.</summary>
    public int MaxSubscriptions { get; set; } = 20;
}
