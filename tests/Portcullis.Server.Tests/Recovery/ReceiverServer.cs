using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Recovery;

/// <summary>A server whose Slack connector and webhook credentials point at one local receiver that answers slowly.</summary>
public abstract class ReceiverServer(StorageProvider provider) : ServerFixture(provider)
{
    public FakeHttp Receiver { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:Connectors:Slack:BaseUrl"] = Receiver.BaseUrl,
        ["Portcullis:Connectors:RetryBaseDelayMs"] = "10",
        ["Portcullis:Jobs:LeaseSeconds"] = "2",
        ["Portcullis:Jobs:PollIntervalMs"] = "100",
    };

    public override async Task InitializeAsync()
    {
        Receiver = await CrashRecoveryTests.ReceiverAsync(holdFor: TimeSpan.Zero);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>Live mode with a Slack and a webhook credential linked to the workspace's agent.</summary>
    public async Task<TestWorkspace> LiveWorkspaceAsync()
    {
        var ws = await NewWorkspaceAsync();
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { connectorMode = "live" })).AssertStatus(HttpStatusCode.OK);
        foreach (var (name, secrets) in new (string, object)[] { ("webhook", new { baseUrl = Receiver.BaseUrl }), ("slack", new { botToken = "test-bot-token-dispatch-recovery" }) })
        {
            var created = await ws.Owner().PostJson("/api/credentials", new { provider = name, name, secrets });
            await created.AssertStatus(HttpStatusCode.Created);
            var id = (await created.Json()).GetProperty("id").GetString();
            await (await ws.Owner().PostJson($"/api/credentials/{id}/links", new { agentId = ws.AgentId })).AssertStatus(HttpStatusCode.NoContent);
        }

        return ws;
    }

    /// <summary>
    /// Makes the dispatch jobs of a workspace look as if their holder had died: another owner, lease run out. The worker
    /// reclaims them on its next pass, exactly as after a crash.
    /// </summary>
    public Task OrphanRunningJobsAsync(TestWorkspace ws) =>
        Factory.Services.GetRequiredService<Database>().WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c,
            "UPDATE jobs SET lease_owner = 'ins_dead', next_at = 0 WHERE workspace_id = @WorkspaceId AND status = 'running'", new { ws.WorkspaceId }, t));
}

public sealed class ReceiverSqliteServer() : ReceiverServer(StorageProvider.Sqlite);

public sealed class ReceiverPostgresServer() : ReceiverServer(StorageProvider.Postgres);
