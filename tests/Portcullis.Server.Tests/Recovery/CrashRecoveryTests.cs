using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>
/// The real server process, live mode, killed with SIGKILL while its connector calls are in flight, then restarted on the
/// same store: nothing stays executing, nothing unsafe is sent twice, every safe call arrives under one idempotency key.
/// </summary>
public sealed class CrashRecoveryTests
{
    internal const string AgentKey = "pk_live_CrashRecoveryAgentKey0000000000000";
    internal const string AdminToken = "pat_CrashRecoveryAdminToken000000000000";
    private const int PerProvider = 8;

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Killed_mid_dispatch_every_action_is_settled_within_seconds_of_restart_and_no_unsafe_call_is_sent_twice(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var receiver = await ReceiverAsync(holdFor: TimeSpan.FromSeconds(2));
        var environment = Environment(db, receiver.BaseUrl);
        var workDir = Directory.CreateTempSubdirectory("portcullis-crash-").FullName;

        var requests = new List<object>();
        await using (var first = await PortcullisProcess.StartAsync(workDir, environment))
        {
            var (agent, runId) = await PrepareLiveWorkspaceAsync(first.BaseUrl, receiver.BaseUrl);
            for (var i = 0; i < PerProvider; i++)
            {
                requests.Add(new { runId, actionType = "http.request", payload = new { path = $"/hook/{i}", method = "POST", body = new { n = i } }, idempotencyKey = $"hook-{i}" });
                requests.Add(new { runId, actionType = "slack.post_message", payload = new { channel = "#ops", text = $"message {i}" }, idempotencyKey = $"slack-{i}" });
            }

            // Sent concurrently; their answers never come: the server dies while the receiver is still holding the calls.
            var inFlight = requests.Select(r => agent.PostJson("/api/actions/request", r)).ToList();
            await WaitUntilAsync(() => receiver.Requests.Count >= PerProvider, TimeSpan.FromSeconds(20));
            await first.KillAsync();
            await Task.WhenAll(inFlight.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        receiver.Delay(TimeSpan.Zero);
        var sentBeforeCrash = receiver.Requests.Count;
        await using var second = await PortcullisProcess.StartAsync(workDir, environment);
        var restartedAt = DateTime.UtcNow;
        await WaitUntilAsync(async () => await CountExecutingAsync(db) == 0, TimeSpan.FromSeconds(5));
        Assert.True(DateTime.UtcNow - restartedAt < TimeSpan.FromSeconds(5), "actions were still executing 5 s after the restart");

        using var agentAgain = Client(second.BaseUrl, AgentKey);
        var answers = new List<JsonElement>();
        foreach (var request in requests)
        {
            var replay = await agentAgain.PostJson("/api/actions/request", request);
            await replay.AssertStatus(HttpStatusCode.OK);
            answers.Add(await replay.Json());
        }

        // No unsafe call reached the receiver twice; every safe one arrived, always under one idempotency key.
        var slack = receiver.To("/api/chat.postMessage");
        for (var i = 0; i < PerProvider; i++)
        {
            Assert.True(slack.Count(r => r.Body.Contains($"message {i}\"", StringComparison.Ordinal)) <= 1, $"slack message {i} was sent twice");
            var hooks = receiver.To($"/hook/{i}");
            Assert.NotEmpty(hooks);
            Assert.Single(hooks.Select(h => h.Header("Idempotency-Key")).Distinct());
        }

        // Replays return final answers: the webhook calls executed, each slack call executed or unknown (never executing).
        foreach (var (request, answer) in requests.Zip(answers))
        {
            var status = answer.GetProperty("execution").GetProperty("status").GetString();
            var isHook = JsonSerializer.Serialize(request).Contains("http.request", StringComparison.Ordinal);
            Assert.Contains(status, isHook ? ["executed"] : new[] { "executed", "unknown" });
            if (status == "unknown")
            {
                Assert.Equal("outcome_unknown", answer.GetProperty("execution").GetProperty("error").GetProperty("code").GetString());
            }
        }

        Assert.True(sentBeforeCrash >= PerProvider);
        Assert.Contains(answers, a => a.GetProperty("execution").GetProperty("status").GetString() == "unknown");
    }

    /// <summary>One local receiver for Slack's API and webhook calls, answering each after <paramref name="holdFor"/>.</summary>
    internal static async Task<FakeHttp> ReceiverAsync(TimeSpan holdFor)
    {
        var receiver = await FakeHttp.StartAsync((r, _) => (200, r.Path == "/api/chat.postMessage"
            ? """{"ok":true,"channel":"C0123456789","ts":"1700000000.000100","message":{"text":"hi"}}"""
            : """{"received":true}"""));
        receiver.Delay(holdFor);
        return receiver;
    }

    internal static Dictionary<string, string> Environment(TestDatabase db, string receiverUrl)
    {
        var environment = new Dictionary<string, string>
        {
            ["Portcullis__DataDirectory"] = db.DataDirectory,
            ["Portcullis__Storage__Provider"] = db.Provider.ToString(),
            ["Portcullis__Init__AgentKey"] = AgentKey,
            ["Portcullis__Init__AdminToken"] = AdminToken,
            ["Portcullis__Connectors__Slack__BaseUrl"] = receiverUrl,
            ["Portcullis__Connectors__RetryBaseDelayMs"] = "10",
            ["Portcullis__RateLimits__AgentRequestsPerSecond"] = "1000",
            // The webhook receiver is a local fake on loopback over http, allowed as an operator would allow an internal target.
            ["Portcullis__Network__AllowedTargets__0"] = "127.0.0.1",
        };
        if (db.ConnectionString is not null)
        {
            environment["Portcullis__Storage__ConnectionString"] = db.ConnectionString;
        }

        return environment;
    }

    internal static async Task<(HttpClient Agent, string RunId)> PrepareLiveWorkspaceAsync(string baseUrl, string receiverUrl)
    {
        using var admin = Client(baseUrl, AdminToken);
        await (await admin.PatchJson("/api/workspace/settings", new { connectorMode = "live" })).AssertStatus(HttpStatusCode.OK);
        var agents = await (await admin.GetAsync("/api/agents")).Json();
        var list = agents.ValueKind == JsonValueKind.Array ? agents : agents.GetProperty("items");
        var agentId = list[0].GetProperty("id").GetString()!;
        foreach (var (providerName, secrets) in new (string, object)[] { ("webhook", new { baseUrl = receiverUrl }), ("slack", new { botToken = "test-bot-token-crash-recovery" }) })
        {
            var created = await admin.PostJson("/api/credentials", new { provider = providerName, name = providerName, secrets });
            await created.AssertStatus(HttpStatusCode.Created);
            var id = (await created.Json()).GetProperty("id").GetString();
            await (await admin.PostJson($"/api/credentials/{id}/links", new { agentId })).AssertStatus(HttpStatusCode.NoContent);
        }

        var agent = Client(baseUrl, AgentKey);
        var run = await agent.PostJson("/api/ingest/run-start", new { triggerType = "crash-test" });
        await run.AssertStatus(HttpStatusCode.Created);
        return (agent, (await run.Json()).GetProperty("runId").GetString()!);
    }

    internal static HttpClient Client(string baseUrl, string bearer)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    internal static async Task<long> CountExecutingAsync(TestDatabase db)
    {
        await using DbConnection c = db.Provider == StorageProvider.Sqlite
            ? new SqliteConnection($"Data Source={Path.Combine(db.DataDirectory, "portcullis.db")};Pooling=False")
            : new NpgsqlConnection(db.ConnectionString);
        await c.OpenAsync();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM action_requests WHERE status = 'executing'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static Task WaitUntilAsync(Func<bool> condition, TimeSpan limit) => WaitUntilAsync(() => Task.FromResult(condition()), limit);

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {limit.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
