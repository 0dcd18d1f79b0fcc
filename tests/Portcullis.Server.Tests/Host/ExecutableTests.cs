using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Host;

/// <summary>The one command a new user runs, as a real process on a real port.</summary>
public sealed partial class ExecutableTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("portcullis-exe-").FullName;

    [Fact]
    public async Task First_start_creates_data_with_a_wal_database_and_prints_the_owner_login_and_a_working_agent_key_once()
    {
        string agentKey;
        await using (var server = await PortcullisProcess.StartAsync(_directory))
        {
            var output = server.Output;
            Assert.Contains("Owner login         admin@portcullis.local", output);
            Assert.Matches(OwnerPassword(), output);
            agentKey = AgentKey().Match(output).Groups[1].Value;
            Assert.StartsWith("pk_live_", agentKey);

            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", agentKey);
            await (await http.PostJson("/api/ingest/run-start", new { triggerType = "first" })).AssertStatus(HttpStatusCode.Created);
        }

        var databaseFile = Path.Combine(_directory, "data", "portcullis.db");
        Assert.True(File.Exists(databaseFile));
        using (var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", command.ExecuteScalar());
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal("600", Convert.ToString((int)File.GetUnixFileMode(Path.Combine(_directory, "data", "keys", "pepper.key")), 8));
        }

        await using var second = await PortcullisProcess.StartAsync(_directory);
        Assert.DoesNotContain("pk_live_", second.Output);
        Assert.DoesNotContain("Owner password", second.Output);
    }

    [Fact]
    public async Task A_busy_port_is_one_friendly_line_and_exit_code_1_not_stack_traces()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (exitCode, output) = await PortcullisProcess.RunAsync(_directory, "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, exitCode);
        Assert.Contains($"portcullis: cannot listen on http://127.0.0.1:{port}: the address is already in use", output);
        Assert.DoesNotContain("   at ", output); // no stack frame
        Assert.DoesNotContain("Unable to start Kestrel", output);
    }

    [Fact]
    public async Task Headless_init_values_are_used_and_never_printed()
    {
        var environment = new Dictionary<string, string>
        {
            ["Portcullis__Init__WorkspaceName"] = "Acme Support",
            ["Portcullis__Init__AdminEmail"] = "ops@acme.example",
            ["Portcullis__Init__AdminPassword"] = "acme-admin-password-1",
            ["Portcullis__Init__AgentName"] = "refund-bot",
            ["Portcullis__Init__AgentKey"] = "pk_live_AcmeKnownAgentKey000000000000000000",
            ["Portcullis__Init__AdminToken"] = "pat_AcmeKnownAdminToken00000000000000000",
        };
        await using var server = await PortcullisProcess.StartAsync(_directory, environment);
        Assert.DoesNotContain("acme-admin-password-1", server.Output);
        Assert.DoesNotContain("pk_live_AcmeKnownAgentKey", server.Output);
        Assert.DoesNotContain("pat_AcmeKnownAdminToken", server.Output);
        Assert.Contains("Acme Support", server.Output);

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", environment["Portcullis__Init__AdminToken"]);
        var workspace = await (await http.GetAsync("/api/workspace")).Json();
        Assert.Equal("Acme Support", workspace.GetProperty("name").GetString());
        var agents = await (await http.GetAsync("/api/agents")).Json();
        Assert.Equal("refund-bot", agents[0].GetProperty("name").GetString());

        var agent = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        await (await agent.PostJson("/api/ingest/run-start", new { agentKey = environment["Portcullis__Init__AgentKey"], triggerType = "t" })).AssertStatus(HttpStatusCode.Created);
        var login = await agent.PostJson("/api/auth/login", new { email = "ops@acme.example", password = "acme-admin-password-1" });
        await login.AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_billing_command_locks_and_unlocks_the_workspace()
    {
        var environment = new Dictionary<string, string> { ["Portcullis__Init__AgentKey"] = "pk_live_BillingCliAgentKey00000000000000000" };
        await using var server = await PortcullisProcess.StartAsync(_directory, environment);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", environment["Portcullis__Init__AgentKey"]);

        var (code, output) = await PortcullisProcess.RunAsync(_directory, "billing", "set", "--state", "cancelled");
        Assert.True(code == 0, output);
        Assert.Contains("\"Locked\":true", output);
        await (await http.PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertProblem(HttpStatusCode.PaymentRequired, "billing_locked");

        (code, output) = await PortcullisProcess.RunAsync(_directory, "billing", "set", "--state", "active");
        Assert.True(code == 0, output);
        await (await http.PostJson("/api/ingest/run-start", new { triggerType = "t" })).AssertStatus(HttpStatusCode.Created);

        (code, _) = await PortcullisProcess.RunAsync(_directory, "billing", "set", "--state", "bogus");
        Assert.NotEqual(0, code);
    }

    [GeneratedRegex(@"Owner password\s+\S{20}")]
    private static partial Regex OwnerPassword();

    [GeneratedRegex(@"Agent API key\s+(pk_live_\S+)")]
    private static partial Regex AgentKey();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
