using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Infrastructure;

/// <summary>The real server, in memory, over a real store.</summary>
public sealed class PortcullisFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, LogSink? logs = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public TestDatabase TestDatabase => database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }

        if (logs is not null)
        {
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        }

        builder.UseSetting("Portcullis:DataDirectory", database.DataDirectory);
        builder.UseSetting("Portcullis:Storage:Provider", database.Provider == StorageProvider.Sqlite ? "sqlite" : "postgres");
        if (database.ConnectionString is not null)
        {
            builder.UseSetting("Portcullis:Storage:ConnectionString", database.ConnectionString);
        }

        builder.UseSetting("Portcullis:Init:AdminEmail", Seed.OwnerEmail);
        builder.UseSetting("Portcullis:Init:AdminPassword", Seed.OwnerPassword);
        builder.UseSetting("Portcullis:Init:AgentKey", Seed.AgentKey);
        builder.UseSetting("Portcullis:Init:AdminToken", Seed.OwnerToken);
        builder.UseSetting("Portcullis:RateLimits:AgentRequestsPerSecond", "100000");
        builder.UseSetting("Portcullis:RateLimits:AgentBurst", "100000");
        builder.UseSetting("Portcullis:RateLimits:LoginAttemptsPerMinute", "1000");
        // The fake receivers and upstreams listen on loopback over plain http: allowed here, as an operator would allow an
        // internal target, unless a test sets Portcullis:Network itself (the outbound-guard tests keep the default).
        if (settings?.Keys.Any(k => k.StartsWith("Portcullis:Network:", StringComparison.Ordinal)) != true)
        {
            builder.UseSetting("Portcullis:Network:AllowedTargets:0", "127.0.0.1");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>The first-start values every test server is initialised with.</summary>
public static class Seed
{
    public const string OwnerEmail = "owner@a.example";
    public const string OwnerPassword = "correct horse battery staple";
    public const string AgentKey = "pk_live_SeedAgentKeyForTests000000000000000000";
    public const string OwnerToken = "pat_SeedOwnerTokenForTests0000000000000000000";
}
