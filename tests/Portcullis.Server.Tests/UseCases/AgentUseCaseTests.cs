using System.Net;
using Portcullis.Server.Features.Agents;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.UseCases;

/// <summary>CreateAgent and CreateAgentKey answer the same whether called directly (as the dashboard does) or over HTTP.</summary>
public abstract class AgentUseCaseTests(ServerFixture server)
{
    [Fact]
    public async Task An_empty_agent_name_is_refused_with_the_same_field_error_by_the_service_and_the_api()
    {
        var ws = await server.NewWorkspaceAsync();
        var result = await server.Service<CreateAgent>().ExecuteAsync(new CreateAgentCommand(await ws.OwnerAsync(), "", null), null, default);

        var invalid = Assert.IsType<CreateAgentResult.Invalid>(result);
        Assert.Equal(["must not be empty"], invalid.Errors.ToDictionary()["name"]);
        var response = await ws.Owner().PostJson("/api/agents", new { name = "" });
        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal("must not be empty", errors.GetProperty("name")[0].GetString());
    }

    [Fact]
    public async Task A_field_of_the_wrong_json_type_is_named_once_beside_the_use_cases_own_errors()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PostJson("/api/agents", new { name = 5, description = new string('d', 1001) });

        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(["must be a string"], errors.GetProperty("name").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("must be at most 1000 characters", errors.GetProperty("description")[0].GetString());
    }

    [Fact]
    public async Task A_taken_name_is_a_conflict_and_a_key_for_an_unknown_agent_is_not_found()
    {
        var ws = await server.NewWorkspaceAsync();
        var owner = await ws.OwnerAsync();
        var created = Assert.IsType<CreateAgentResult.Created>(
            await server.Service<CreateAgent>().ExecuteAsync(new CreateAgentCommand(owner, "twin", "first"), null, default));
        Assert.Equal(owner.UserId, created.Agent.OwnerUserId);

        Assert.IsType<CreateAgentResult.Conflict>(await server.Service<CreateAgent>().ExecuteAsync(new CreateAgentCommand(owner, "twin", null), null, default));
        await (await ws.Owner().PostJson("/api/agents", new { name = "twin" })).AssertProblem(HttpStatusCode.Conflict, "conflict");
        var missing = await server.Service<CreateAgentKey>().ExecuteAsync(new CreateAgentKeyCommand(owner, "agt_nope", null), null, default);
        Assert.Equal("agt_nope", Assert.IsType<CreateAgentKeyResult.AgentNotFound>(missing).AgentId);
        var key = Assert.IsType<CreateAgentKeyResult.Created>(
            await server.Service<CreateAgentKey>().ExecuteAsync(new CreateAgentKeyCommand(owner, created.Agent.Id, null), null, default));
        Assert.Equal("default", key.Key.Name);
    }
}

public sealed class AgentUseCaseSqliteTests(SqliteServer s) : AgentUseCaseTests(s), IClassFixture<SqliteServer>;

public sealed class AgentUseCasePostgresTests(PostgresServer s) : AgentUseCaseTests(s), IClassFixture<PostgresServer>;
