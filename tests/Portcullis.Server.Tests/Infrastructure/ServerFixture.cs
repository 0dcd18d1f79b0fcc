using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Infrastructure;

/// <summary>One server over one fresh store, shared by the tests of a class.</summary>
public abstract class ServerFixture(StorageProvider provider) : IAsyncLifetime
{
    private TestDatabase? _database;

    public StorageProvider Provider => provider;

    public PortcullisFactory Factory { get; private set; } = null!;

    /// <summary>Settings on top of the test defaults, for fixtures that need other limits.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>True to listen on a real loopback port (<see cref="BaseUrl"/>) instead of the in-memory test server.</summary>
    protected virtual bool RealPort => false;

    /// <summary>With <see cref="RealPort"/>: the server's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Services on top of the server's own (a test's telemetry exporter).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Every log line the server wrote, so tests can prove no secret reached a log.</summary>
    public LogSink Logs { get; } = new();

    public virtual async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        Factory = new PortcullisFactory(_database, Settings, Logs, ConfigureServices);
        HttpExtensions.Sinks.Add(Logs);
        if (RealPort)
        {
            // A real socket, for clients outside this process (a Prometheus scraping the server).
            Factory.UseKestrel(0);
            Factory.StartServer();
            BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        }
        else
        {
            _ = Factory.Server; // starts the host: migrations and first-start seeding run here
        }
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    public HttpClient Anonymous() => Factory.CreateClient();

    public HttpClient WithBearer(string token)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The workspace created at first start from the Init settings.</summary>
    public TestWorkspace Seeded => new(this, null, Seed.AgentKey, Seed.OwnerToken);

    /// <summary>A new workspace of its own, so a test can change settings without disturbing others.</summary>
    public async Task<TestWorkspace> NewWorkspaceAsync(string? name = null)
    {
        var provisioner = Factory.Services.GetRequiredService<WorkspaceProvisioner>();
        var database = Factory.Services.GetRequiredService<Database>();
        var suffix = Guid.NewGuid().ToString("n");
        var ownerToken = "pat_" + suffix + suffix[..8];
        var agentKey = "pk_live_" + suffix + suffix[..8];
        var created = await database.WriteAsync((c, t) => provisioner.CreateAsync(c, t, new WorkspaceProvisioner.Request(
            name ?? $"ws-{suffix[..6]}", $"owner-{suffix[..10]}@example.com", "another secure password", "agent-one", agentKey, ownerToken)));
        return new TestWorkspace(this, created, agentKey, ownerToken);
    }
}

public sealed class SqliteServer() : ServerFixture(StorageProvider.Sqlite);

public sealed class PostgresServer() : ServerFixture(StorageProvider.Postgres);
