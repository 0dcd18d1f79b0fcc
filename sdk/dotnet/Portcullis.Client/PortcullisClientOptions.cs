namespace Portcullis.Client;

/// <summary>Settings of a <see cref="PortcullisClient"/>.</summary>
public sealed class PortcullisClientOptions
{
    /// <summary>The Portcullis host, e.g. <c>https://portcullis.example.com</c>; may carry a path prefix.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// The agent's API key (<c>pk_live_…</c>). Load it from configuration or a secret store,
    /// never from source code.
    /// </summary>
    public string? AgentKey { get; set; }

    /// <summary>
    /// Time-out of one HTTP attempt. Default 30 seconds, since a governed action may wait on a connector.
    /// A long-poll adds the time the server holds it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a failed call is repeated where that is safe. Default 2 (so at most 3 attempts).</summary>
    public int MaxRetries { get; set; } = 2;
}
