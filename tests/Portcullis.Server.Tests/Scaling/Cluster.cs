using System.Net.Http.Headers;
using System.Security.Cryptography;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Scaling;

/// <summary>
/// Several real server processes on one PostgreSQL, each with a data directory of its own: the keys every instance must
/// share (the pepper behind agent keys and member tokens, the vault's master key) are given to all of them by configuration,
/// as docs/scaling.md tells operators to do.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    // The seeded workspace's keys, as the live-workspace helper of the crash tests expects them.
    public const string AgentKey = Recovery.CrashRecoveryTests.AgentKey;
    public const string AdminToken = Recovery.CrashRecoveryTests.AdminToken;

    private readonly List<PortcullisProcess> _instances;

    private Cluster(List<PortcullisProcess> instances) => _instances = instances;

    public IReadOnlyList<PortcullisProcess> Instances => _instances;

    public static async Task<Cluster> StartAsync(TestDatabase database, int count, string receiverUrl)
    {
        var shared = new Dictionary<string, string>
        {
            ["Portcullis__Storage__Provider"] = "Postgres",
            ["Portcullis__Storage__ConnectionString"] = database.ConnectionString!,
            ["Portcullis__Security__Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Portcullis__Vault__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Portcullis__Init__AgentKey"] = AgentKey,
            ["Portcullis__Init__AdminToken"] = AdminToken,
            ["Portcullis__Connectors__Slack__BaseUrl"] = receiverUrl,
            ["Portcullis__Connectors__RetryBaseDelayMs"] = "10",
            ["Portcullis__Connectors__RatePerSecondPerCredential"] = "10000",
            ["Portcullis__RateLimits__AgentRequestsPerSecond"] = "100000",
            ["Portcullis__RateLimits__AgentBurst"] = "100000",
            ["Portcullis__Jobs__PollIntervalMs"] = "100",
            ["Portcullis__Approvals__CallbackPollIntervalMs"] = "200",
            // The receiver is a local fake on loopback over http, allowed as an operator would allow an internal target.
            ["Portcullis__Network__AllowedTargets__0"] = "127.0.0.1",
        };

        // The first one migrates and seeds; the others then start together.
        var instances = new List<PortcullisProcess> { await StartOneAsync(shared) };
        instances.AddRange(await Task.WhenAll(Enumerable.Range(1, count - 1).Select(_ => StartOneAsync(shared))));
        return new Cluster(instances);
    }

    private static Task<PortcullisProcess> StartOneAsync(Dictionary<string, string> shared)
    {
        var workDir = Directory.CreateTempSubdirectory("portcullis-cluster-").FullName;
        return PortcullisProcess.StartAsync(workDir, new Dictionary<string, string>(shared) { ["Portcullis__DataDirectory"] = Path.Combine(workDir, "data") });
    }

    /// <summary>A client of instance <paramref name="n"/> (modulo the cluster's size).</summary>
    public HttpClient Client(int n, string bearer)
    {
        var http = new HttpClient { BaseAddress = new Uri(_instances[n % _instances.Count].BaseUrl), Timeout = TimeSpan.FromSeconds(90) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    public string Output(int n) => _instances[n].Output;

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }
}
