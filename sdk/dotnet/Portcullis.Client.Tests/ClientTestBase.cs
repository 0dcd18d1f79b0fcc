namespace Portcullis.Client.Tests;

/// <summary>A fresh fake server and a client pointed at it, per test.</summary>
public abstract class ClientTestBase : IAsyncLifetime
{
    protected FakeServer Server { get; private set; } = null!;

    protected PortcullisClient Client { get; private set; } = null!;

    /// <summary>Generous, so a busy machine does not turn a slow first request into a retry.</summary>
    protected virtual PortcullisClientOptions Options => new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        Server = await FakeServer.StartAsync();
        Client = new PortcullisClient(Server.Url, Fixtures.AgentKey, Options);
    }

    /// <summary>A client whose time-out the fake server's <see cref="Reply.Delay"/> can exceed quickly.</summary>
    protected PortcullisClient ShortTimeoutClient() =>
        new(Server.Url, Fixtures.AgentKey, new PortcullisClientOptions { Timeout = TimeSpan.FromMilliseconds(400) });

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
