using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Actions;

/// <summary>Every request records the transport it came through, and policies decide on it and on caller-supplied context.</summary>
public abstract class SourceAndContextTests(ServerFixture server)
{
    [Fact]
    public async Task A_rest_request_is_recorded_with_source_rest_and_a_policy_on_source_decides_it()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("only over mcp", "source = rest AND action_type = refund.create", "block", "refunds go through MCP");
        var runId = await ws.StartRunAsync();
        var answer = await ws.RequestActionAsync(ActionBuilders.Refund(runId));
        Assert.Equal("block", answer.GetProperty("decision").GetString());
        Assert.Equal("rest", await ColumnAsync("source", answer.GetProperty("actionRequestId").GetString()!));
    }

    [Fact]
    public async Task Context_is_recorded_and_read_by_policies_as_context_paths()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("urgent tickets", "context.ticket.priority = urgent", "require_approval");
        var runId = await ws.StartRunAsync();
        var urgent = await ws.RequestActionAsync(new
        {
            runId, actionType = "refund.create", payload = new { charge = "ch_1", amount = 100 }, context = new { ticket = new { priority = "urgent" } },
        });
        Assert.Equal("require_approval", urgent.GetProperty("decision").GetString());
        Assert.Contains("urgent", await ColumnAsync("context", urgent.GetProperty("actionRequestId").GetString()!));
        var plain = await ws.RequestActionAsync(new { runId, actionType = "refund.create", payload = new { charge = "ch_1", amount = 100 } });
        Assert.Equal("allow", plain.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task A_context_that_is_not_an_object_is_refused_and_changes_the_idempotency_identity()
    {
        var ws = await server.NewWorkspaceAsync();
        var runId = await ws.StartRunAsync();
        await (await ws.Agent().PostJson("/api/actions/request", new { runId, actionType = "x.custom", payload = new { }, context = "urgent" }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        await ws.RequestActionAsync(new { runId, actionType = "x.custom", payload = new { }, context = new { a = 1 }, idempotencyKey = "ctx-1" });
        await (await ws.Agent().PostJson("/api/actions/request", new { runId, actionType = "x.custom", payload = new { }, context = new { a = 2 }, idempotencyKey = "ctx-1" }))
            .AssertProblem(HttpStatusCode.Conflict, "conflict");
    }

    private Task<string> ColumnAsync(string column, string actionRequestId) =>
        server.Factory.Services.GetRequiredService<Database>().ReadAsync(async c =>
            (string)(await Dapper.SqlMapper.ExecuteScalarAsync(c, $"SELECT {column} FROM action_requests WHERE id = @actionRequestId", new { actionRequestId }))!);
}

public sealed class SourceAndContextSqliteTests(SqliteServer s) : SourceAndContextTests(s), IClassFixture<SqliteServer>;

public sealed class SourceAndContextPostgresTests(PostgresServer s) : SourceAndContextTests(s), IClassFixture<PostgresServer>;
