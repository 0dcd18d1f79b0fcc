using System.Text.Json;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>
/// A real <c>portcullis</c> process driven over Streamable HTTP by the TypeScript SDK client (its tasks client too), and
/// checked by the official conformance suite (<c>tests/mcp-node</c>). docs/mcp.md lists the scenarios and why the others fail.
/// </summary>
public sealed class McpNodeClientTests
{
    private const string AgentKey = "pk_live_McpNodeClientAgentKey000000000000";
    private const string AdminToken = "pat_McpNodeClientAdminToken00000000000000";

    /// <summary>The conformance suite's server scenarios this server passes (the rest need the suite's own fixture tools).</summary>
    public static readonly string[] PassingScenarios =
    [
        "server-initialize", "logging-set-level", "ping", "tools-list", "server-sse-polling", "server-sse-multiple-streams", "dns-rebinding-protection",
    ];

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task The_TypeScript_SDK_client_lists_calls_is_blocked_waits_for_an_approval_and_gets_bad_arguments_named(StorageProvider provider)
    {
        Assert.Equal(["list", "call-allow", "call-block", "call-approval", "bad-arguments"], await DriveAsync(provider, "drive.mjs"));
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task The_TypeScript_SDK_tasks_client_runs_calls_as_2025_11_25_tasks_that_complete_after_an_approval(StorageProvider provider)
    {
        Assert.Equal(["capabilities", "task-approved", "task-immediate", "cancel-refused"], await DriveAsync(provider, "tasks.mjs"));
    }

    /// <summary>Starts the real server on a fresh database and runs a driver script against it; the steps it passed.</summary>
    private static async Task<List<string?>> DriveAsync(StorageProvider provider, string script)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await PortcullisProcess.StartAsync(Directory.CreateTempSubdirectory("portcullis-mcp-node-").FullName, Environment(db));

        var (code, summary, output) = await NodeProject.RunAsync(script, TimeSpan.FromMinutes(3), server.BaseUrl, AgentKey, AdminToken);

        Assert.True(code == 0, output);
        return JsonDocument.Parse(summary).RootElement.GetProperty("passed").EnumerateArray().Select(s => s.GetString()).ToList();
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task The_official_conformance_suite_passes_its_server_scenarios_that_apply(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var server = await PortcullisProcess.StartAsync(Directory.CreateTempSubdirectory("portcullis-mcp-conformance-").FullName, Environment(db));

        // Every server scenario on SQLite (so a newly passing one shows in the summary); the passing ones on PostgreSQL.
        string[] scenarios = provider == StorageProvider.Sqlite ? [] : PassingScenarios;
        var (code, summary, output) = await NodeProject.RunAsync("conformance.mjs", TimeSpan.FromMinutes(8), [server.BaseUrl, AgentKey, .. scenarios]);

        Assert.True(code == 0, output);
        var passed = JsonDocument.Parse(summary).RootElement.GetProperty("passed").EnumerateArray().Select(s => s.GetString()!).ToHashSet();
        Assert.All(PassingScenarios, s => Assert.True(passed.Contains(s), $"scenario `{s}` failed: {summary}"));
    }

    private static Dictionary<string, string> Environment(TestDatabase db)
    {
        var environment = new Dictionary<string, string>
        {
            ["Portcullis__DataDirectory"] = db.DataDirectory,
            ["Portcullis__Storage__Provider"] = db.Provider.ToString(),
            ["Portcullis__Init__AgentKey"] = AgentKey,
            ["Portcullis__Init__AdminToken"] = AdminToken,
            ["Portcullis__RateLimits__AgentRequestsPerSecond"] = "1000",
            ["Portcullis__RateLimits__AgentBurst"] = "1000",
        };
        if (db.ConnectionString is not null)
        {
            environment["Portcullis__Storage__ConnectionString"] = db.ConnectionString;
        }

        return environment;
    }
}
