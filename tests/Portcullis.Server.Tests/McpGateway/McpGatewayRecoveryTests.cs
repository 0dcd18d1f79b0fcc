using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Actions.Dispatch;
using Portcullis.Server.Features.McpGateway;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;
using static Portcullis.Server.Tests.McpGateway.McpGatewaySteps;

namespace Portcullis.Server.Tests.McpGateway;

/// <summary>Crash safety of gateway calls: an upstream tool is not known to be idempotent unless its pinned hints say so.</summary>
public abstract class McpGatewayRecoveryTests(McpGatewayServer server)
{
    [Fact]
    public async Task A_reclaimed_call_of_a_tool_not_marked_idempotent_becomes_unknown_and_is_not_sent_again()
    {
        await using var upstream = await UpstreamMcpServer.PinnedAsync("Looks up a record", callDelayMs: 1500);
        var ws = await server.NewWorkspaceAsync();
        await ws.ReadyMcpAsync("records", upstream.Url, null, "lookup");
        var runId = await ws.StartRunAsync();
        var body = Call(runId, "mcp.records.lookup", new { id = "r-1" }, idempotencyKey: $"k-{Guid.NewGuid():n}");

        var first = ws.Agent().PostJson("/api/actions/request", body);
        await WaitUntilAsync(async () => await upstream.CallsAsync() == 1);
        // The holder "dies": its lease is handed to nobody, so the worker reclaims the job as a crash would leave it.
        await server.Factory.Services.GetRequiredService<Database>().WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c,
            "UPDATE jobs SET lease_owner = 'ins_dead', next_at = 0 WHERE workspace_id = @WorkspaceId AND status = 'running'", new { ws.WorkspaceId }, t));
        await first;

        JsonElement execution = default;
        await WaitUntilAsync(async () =>
        {
            execution = (await ws.RequestActionAsync(body)).GetProperty("execution");
            return execution.GetProperty("status").GetString() != "executing";
        });
        Assert.Equal("unknown", execution.GetProperty("status").GetString());
        Assert.Equal("outcome_unknown", execution.GetProperty("error").GetProperty("code").GetString());
        await Task.Delay(500);
        Assert.Equal(1, await upstream.CallsAsync());
    }

    [Fact]
    public async Task Only_a_tool_pinned_read_only_or_idempotent_is_safe_to_send_again()
    {
        await using var upstream = await UpstreamMcpServer.PinnedAsync("Looks up a record");
        var ws = await server.NewWorkspaceAsync();
        await ws.ReadyMcpAsync("records", upstream.Url, null, "lookup");
        await ws.ReadyMcpAsync("everything", server.Everything.Url, null, "echo");
        var runId = await ws.StartRunAsync();
        var database = server.Factory.Services.GetRequiredService<Database>();

        var lookup = (await ws.RequestActionAsync(Call(runId, "mcp.records.lookup", new { id = "r-1" }))).GetProperty("actionRequestId").GetString()!;
        var echo = (await ws.RequestActionAsync(Call(runId, "mcp.everything.echo", new { message = "m" }))).GetProperty("actionRequestId").GetString()!;

        Assert.False((await DispatchTarget.LoadAsync(database, lookup, default))!.SafeToRepeat);
        Assert.True((await DispatchTarget.LoadAsync(database, echo, default))!.SafeToRepeat);
        Assert.False(DispatchSafety.SafeToRepeat("mcp.records.lookup", "{}"));
        Assert.True(DispatchSafety.SafeToRepeat("mcp.records.lookup", "{}", gatewayRepeatSafe: true));
        Assert.False(ToolDefinition.SafeToRepeat(readOnlyHint: false, idempotentHint: null));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 15 s");
            await Task.Delay(50);
        }
    }
}

public sealed class McpGatewayRecoverySqliteTests(McpGatewaySqliteServer s) : McpGatewayRecoveryTests(s), IClassFixture<McpGatewaySqliteServer>;

public sealed class McpGatewayRecoveryPostgresTests(McpGatewayPostgresServer s) : McpGatewayRecoveryTests(s), IClassFixture<McpGatewayPostgresServer>;
