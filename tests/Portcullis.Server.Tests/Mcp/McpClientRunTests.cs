using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Mcp;

/// <summary>The run a client's calls go into without <c>portcullis/runId</c>: remembered after the first call, replaced once it ends.</summary>
public abstract class McpClientRunTests(ServerFixture server)
{
    [Fact]
    public async Task The_clients_run_is_remembered_after_the_first_call_and_replaced_once_it_has_ended()
    {
        var ws = await server.NewWorkspaceAsync();
        await using var client = await McpSession.ConnectAsync(server, ws.AgentKey, clientName: "remembered");
        var first = await client.CallAsync("charge.retrieve", new { chargeId = "ch_1" });

        // Remembered, not looked up again: losing the stored mapping does not move the next call to a new run.
        await server.Factory.Services.GetRequiredService<Database>().WriteAsync((c, t) =>
            c.ExecuteAsync("DELETE FROM mcp_client_runs WHERE run_id = @runId", new { runId = first.RunId() }, t));
        var second = await client.CallAsync("charge.retrieve", new { chargeId = "ch_2" });
        Assert.Equal(first.RunId(), second.RunId());

        await (await ws.Agent().PostJson("/api/ingest/run-end", new { runId = first.RunId(), status = "completed" })).AssertStatus(HttpStatusCode.OK);
        var afterEnd = await client.CallAsync("charge.retrieve", new { chargeId = "ch_3" });
        Assert.False(afterEnd.IsError, afterEnd.Text());
        Assert.NotEqual(first.RunId(), afterEnd.RunId());
        var again = await client.CallAsync("charge.retrieve", new { chargeId = "ch_4" });
        Assert.Equal(afterEnd.RunId(), again.RunId());
        Assert.Equal(2, (await ws.TimelineTypesAsync(afterEnd.RunId())).Count(t => t == "action.requested"));
    }
}

public sealed class McpClientRunSqliteTests(SqliteServer s) : McpClientRunTests(s), IClassFixture<SqliteServer>;

public sealed class McpClientRunPostgresTests(PostgresServer s) : McpClientRunTests(s), IClassFixture<PostgresServer>;
