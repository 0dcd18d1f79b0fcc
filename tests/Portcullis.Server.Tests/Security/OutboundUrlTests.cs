using System.Net;
using Dapper;
using Portcullis.Server.Tests.Approvals;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using static Portcullis.Server.Tests.Approvals.ApprovalSteps;

namespace Portcullis.Server.Tests.Security;

/// <summary>A server with the outbound guard's defaults: https only, no internal target allowed (the probes of issue 13).</summary>
public abstract class GuardedServer(StorageProvider provider) : ApprovalServer(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Portcullis:Network:AllowHttp"] = "false",
    };

    public new sealed class Sqlite() : GuardedServer(StorageProvider.Sqlite);

    public new sealed class Postgres() : GuardedServer(StorageProvider.Postgres);
}

/// <summary>
/// SSRF: every URL an agent or admin supplies is refused with 400 <c>url_not_allowed</c> when it points inside, uses plain
/// http, carries user info, a fragment, CR/LF (or, for a base URL, a query); a name that resolves inside at delivery fails there.
/// </summary>
public abstract class OutboundUrlTests(GuardedServer server)
{
    /// <summary>Each form of an internal address the probes used, and each malformed shape.</summary>
    public static TheoryData<string> Refused => new()
    {
        "https://127.0.0.1/hook", "https://localhost/hook", "https://[::1]/hook", "https://2130706433/hook", "https://0x7f000001/hook",
        "https://0177.0.0.1/hook", "https://127.1/hook", "https://[::ffff:127.0.0.1]/hook", "https://169.254.169.254/latest/meta-data",
        "https://[fd00::1]/hook", "https://10.0.0.1/hook", "https://172.16.0.1/hook", "https://192.168.1.1/hook", "https://0.0.0.0/hook",
        "https://[::]/hook", "https://224.0.0.1/hook", "https://[fe80::1]/hook", "https://[::127.0.0.1]/hook",
        "http://93.184.215.14/hook", "https://user:pw@93.184.215.14/hook", "https://93.184.215.14/hook#fragment",
        "https://93.184.215.14/hook\r\nX-Injected: 1",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task An_agents_callback_url_to_an_internal_or_malformed_target_is_refused(string url)
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        var payload = new { charge = "ch_1", amount = 100, reason = "requested_by_customer" };
        var body = await (await ws.Agent().PostJson("/api/actions/request", new { runId, actionType = "refund.create", payload, callbackUrl = url }))
            .AssertProblem(HttpStatusCode.BadRequest, "url_not_allowed");
        Assert.True(body.GetProperty("errors").TryGetProperty("callbackUrl", out _));
        Assert.Equal(0, await server.ScalarAsync<long>("SELECT COUNT(*) FROM action_requests WHERE run_id = @runId", new { runId }));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    [InlineData("https://93.184.215.14/hook?token=1")]
    public async Task A_webhook_credentials_base_url_to_an_internal_or_malformed_target_is_refused(string url)
    {
        var ws = await server.NewWorkspaceAsync();
        var body = await (await ws.Owner().PostJson("/api/credentials", new { provider = "webhook", name = "hooks", secrets = new { baseUrl = url } }))
            .AssertProblem(HttpStatusCode.BadRequest, "url_not_allowed");
        Assert.True(body.GetProperty("errors").TryGetProperty("secrets.baseUrl", out _));
        Assert.Empty((await (await ws.Owner().GetAsync("/api/credentials")).Json()).EnumerateArray());
    }

    /// <summary>The same internal forms as MQTT broker URLs (their shape rules are the connector's: mqtt or mqtts, no path).</summary>
    public static TheoryData<string> RefusedBrokers => new()
    {
        "mqtt://127.0.0.1:1883", "mqtt://localhost", "mqtts://[::1]:8883", "mqtt://2130706433", "mqtt://0x7f000001", "mqtt://0177.0.0.1",
        "mqtt://127.1", "mqtts://[::ffff:127.0.0.1]", "mqtts://169.254.169.254", "mqtt://[fd00::1]", "mqtt://10.0.0.1:1883",
        "mqtt://172.16.0.1", "mqtt://192.168.1.1", "mqtt://0.0.0.0", "mqtt://[::]", "mqtt://224.0.0.1", "mqtt://[fe80::1]",
        "mqtts://[::127.0.0.1]",
    };

    [Theory]
    [MemberData(nameof(RefusedBrokers))]
    public async Task An_mqtt_credentials_broker_url_to_an_internal_target_is_refused(string url)
    {
        var ws = await server.NewWorkspaceAsync();
        var body = await (await ws.Owner().PostJson("/api/credentials", new { provider = "mqtt", name = "plant", secrets = new { brokerUrl = url } }))
            .AssertProblem(HttpStatusCode.BadRequest, "url_not_allowed");
        Assert.True(body.GetProperty("errors").TryGetProperty("secrets.brokerUrl", out _));
        Assert.Empty((await (await ws.Owner().GetAsync("/api/credentials")).Json()).EnumerateArray());
    }

    [Fact]
    public async Task An_mqtt_broker_on_a_public_address_is_accepted()
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PostJson("/api/credentials", new { provider = "mqtt", name = "plant", secrets = new { brokerUrl = "mqtts://93.184.215.14:8883" } }))
            .AssertStatus(HttpStatusCode.Created);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task An_upstream_mcp_server_url_to_an_internal_or_malformed_target_is_refused(string url)
    {
        var ws = await server.NewWorkspaceAsync();
        await (await ws.Owner().PostJson("/api/mcp/servers", new { name = "inside", url })).AssertProblem(HttpStatusCode.BadRequest, "url_not_allowed");
    }

    [Fact]
    public async Task A_public_https_callback_url_with_a_query_is_accepted()
    {
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent(), callbackUrl: "https://93.184.215.14/hooks?agent=one");
        Assert.NotNull(r.ApprovalId);
    }

    [Fact]
    public async Task A_callback_whose_name_resolves_inside_at_delivery_is_recorded_as_failed_and_never_sent()
    {
        await using var receiver = await FakeHttp.StartAsync((_, _) => (200, "{}"));
        var ws = await server.NewWorkspaceAsync();
        await RequireApprovalAsync(ws.Owner());
        var r = await RequestRefundAsync(ws.Agent(), callbackUrl: "https://93.184.215.14/hook");
        // As if the name had been rebound to loopback after the check: only the connect-time check stands in the way.
        var port = new Uri(receiver.BaseUrl).Port;
        await server.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE action_requests SET callback_url = @url WHERE id = @id",
            new { url = $"https://localhost:{port}/hook", id = r.ActionRequestId }, t));

        await (await server.WithBearer(await ws.MemberTokenAsync("approver")).ApproveAsync(r.ApprovalId, "fine")).AssertStatus(HttpStatusCode.OK);
        await EventuallyAsync(async () => (await Deliveries(ws, r.ApprovalId)).GetProperty("attempts").GetInt32() >= 1, TimeSpan.FromSeconds(10), "an attempt");

        var delivery = await Deliveries(ws, r.ApprovalId);
        Assert.Contains("url_not_allowed", delivery.GetProperty("history")[0].GetProperty("error").GetString());
        Assert.Empty(receiver.Requests);
    }

    private static async Task<System.Text.Json.JsonElement> Deliveries(TestWorkspace ws, string approvalId) =>
        (await (await ws.Owner().GetAsync($"/api/approvals/{approvalId}/deliveries")).Json()).GetProperty("items")[0];
}

public sealed class OutboundUrlSqliteTests(GuardedServer.Sqlite s) : OutboundUrlTests(s), IClassFixture<GuardedServer.Sqlite>;

public sealed class OutboundUrlPostgresTests(GuardedServer.Postgres s) : OutboundUrlTests(s), IClassFixture<GuardedServer.Postgres>;
