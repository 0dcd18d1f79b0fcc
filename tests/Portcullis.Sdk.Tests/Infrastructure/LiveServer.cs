using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Portcullis.Sdk.Tests.Infrastructure;

/// <summary>
/// The real server on a real port (Kestrel on a free port of 127.0.0.1), over a SQLite file in a temporary
/// data directory, in demo mode, initialised with a known agent key and owner token, so processes of
/// other languages can call it.
/// </summary>
public sealed class LiveServer : WebApplicationFactory<Program>
{
    public const string AgentKey = "pk_live_SdkTestsAgentKey0000000000000000000000";
    public const string OwnerToken = "pat_SdkTestsOwnerToken00000000000000000000000";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "portcullis-sdk-tests", Guid.NewGuid().ToString("n"));

    /// <summary>Starts the server; its address is <see cref="BaseUrl"/>.</summary>
    public void Start()
    {
        Directory.CreateDirectory(DataDirectory);
        UseKestrel(0);
        StartServer();
    }

    public Uri BaseUrl => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Portcullis:DataDirectory", DataDirectory);
        builder.UseSetting("Portcullis:Storage:Provider", "sqlite");
        builder.UseSetting("Portcullis:Init:AdminEmail", "owner@sdk-tests.example");
        builder.UseSetting("Portcullis:Init:AdminPassword", "sdk tests owner password");
        builder.UseSetting("Portcullis:Init:AgentKey", AgentKey);
        builder.UseSetting("Portcullis:Init:AdminToken", OwnerToken);
        builder.UseSetting("Portcullis:RateLimits:AgentRequestsPerSecond", "100000");
        builder.UseSetting("Portcullis:RateLimits:AgentBurst", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection; the temporary directory is cleaned later.
        }
    }
}
