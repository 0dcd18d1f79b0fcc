using System.Net;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.UseCases;

/// <summary>CreatePolicy and UpdatePolicy refuse the same input the same way, called directly (the dashboard) or over HTTP.</summary>
public abstract class PolicyUseCaseTests(ServerFixture server)
{
    private static PolicyInput Input(string? name = "p", string? condition = "action_type = refund.create", string? decision = "block",
        long? priority = null, IReadOnlyList<string>? agentIds = null) =>
        new(name, null, condition, decision, null, priority, null, agentIds, null);

    [Fact]
    public async Task An_out_of_range_priority_and_an_unknown_decision_are_named_by_the_service_and_the_api()
    {
        var ws = await server.NewWorkspaceAsync();
        var command = new CreatePolicyCommand(await ws.OwnerAsync(), Input(decision: "maybe", priority: 2_000_000));
        var invalid = Assert.IsType<SavePolicyResult.Invalid>(await server.Service<CreatePolicy>().ExecuteAsync(command, null, default));

        var errors = invalid.Errors.ToDictionary();
        Assert.Equal(["must be between -1000000 and 1000000"], errors["priority"]);
        var api = await ws.Owner().PostJson("/api/policies", new { name = "p", condition = "action_type = refund.create", decision = "maybe", priority = 2_000_000 });
        var wire = (await api.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(errors["decision"][0], wire.GetProperty("decision")[0].GetString());
        Assert.Equal(errors["priority"][0], wire.GetProperty("priority")[0].GetString());
    }

    [Fact]
    public async Task A_condition_that_does_not_parse_comes_back_with_its_diagnostics_and_nothing_is_saved()
    {
        var ws = await server.NewWorkspaceAsync();
        var command = new CreatePolicyCommand(await ws.OwnerAsync(), Input(condition: "action_type = refund.create AND payload.amount >"));

        var result = await server.Service<CreatePolicy>().ExecuteAsync(command, null, default);

        Assert.NotEmpty(Assert.IsType<SavePolicyResult.InvalidCondition>(result).Diagnostics);
        Assert.Empty((await (await ws.Owner().GetAsync("/api/policies")).Json()).EnumerateArray());
    }

    [Fact]
    public async Task A_non_string_agent_id_keeps_its_index_beside_an_id_that_is_too_long()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PostJson("/api/policies",
            new { name = "p", condition = "action_type = x", decision = "block", agentIds = new object[] { 5, "ok", new string('a', 65) } });

        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal("must be an agent id", errors.GetProperty("agentIds[0]")[0].GetString());
        Assert.Equal("must be an agent id", errors.GetProperty("agentIds[2]")[0].GetString());
        Assert.False(errors.TryGetProperty("agentIds[1]", out _));
    }

    [Fact]
    public async Task An_update_changes_only_what_it_names_and_an_unknown_policy_is_not_found()
    {
        var ws = await server.NewWorkspaceAsync();
        var owner = await ws.OwnerAsync();
        var created = Assert.IsType<SavePolicyResult.Saved>(await server.Service<CreatePolicy>().ExecuteAsync(new CreatePolicyCommand(owner, Input()), null, default));
        var toggle = new PolicyInput(null, null, null, null, null, null, false, null, null);

        var saved = Assert.IsType<SavePolicyResult.Saved>(
            await server.Service<UpdatePolicy>().ExecuteAsync(new UpdatePolicyCommand(owner, created.Policy.Id, toggle), null, default));
        Assert.Equal((2L, false, "p"), (saved.Policy.Version, saved.Policy.Enabled, saved.Policy.Name));
        var missing = await server.Service<UpdatePolicy>().ExecuteAsync(new UpdatePolicyCommand(owner, "pol_nope", toggle), null, default);
        Assert.Equal("pol_nope", Assert.IsType<SavePolicyResult.NotFound>(missing).PolicyId);
    }
}

public sealed class PolicyUseCaseSqliteTests(SqliteServer s) : PolicyUseCaseTests(s), IClassFixture<SqliteServer>;

public sealed class PolicyUseCasePostgresTests(PostgresServer s) : PolicyUseCaseTests(s), IClassFixture<PostgresServer>;
