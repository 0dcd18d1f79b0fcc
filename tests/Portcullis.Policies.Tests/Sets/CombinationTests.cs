using Portcullis.Policies.Tests.Support;
using static Portcullis.Policies.Tests.Support.Policies;

namespace Portcullis.Policies.Tests.Sets;

public class CombinationTests
{
    private static readonly ActionContext Refund = Requests.Refund();

    [Fact]
    public void Most_restrictive_matching_decision_wins_and_all_matches_are_listed_winner_first()
    {
        var set = Set(
            Def("allow", "action_type = refund.create", PolicyDecision.Allow, priority: 100),
            Def("alert", "payload.amount > 1000", PolicyDecision.AllowWithAlert),
            Def("approve", "action_type = refund.create AND payload.amount > 5000", PolicyDecision.RequireApproval, reason: "large refund"),
            Def("block", "payload.currency = eur", PolicyDecision.Block));

        var result = set.Evaluate(Refund, PolicyDecision.Allow);

        Assert.Equal(PolicyDecision.RequireApproval, result.Decision);
        Assert.Equal("large refund", result.Reason);
        Assert.Equal("approve", result.Winner!.Id);
        Assert.Equal(["approve", "alert", "allow"], result.Matched.Select(m => m.Id));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Higher_priority_breaks_a_tie_between_equal_decisions()
    {
        var set = Set(
            Def("low", "payload.amount > 1", priority: 1, reason: "low"),
            Def("high", "payload.amount > 1", priority: 5, reason: "high"),
            Def("negative", "payload.amount > 1", priority: -3, reason: "negative"));

        var result = set.Evaluate(Refund, PolicyDecision.Allow);

        Assert.Equal("high", result.Reason);
        Assert.Equal(["high", "low", "negative"], result.Matched.Select(m => m.Id));
    }

    [Fact]
    public void Equal_decision_and_priority_fall_back_to_the_lower_id_by_ordinal()
    {
        var set = Set(Def("b", "payload.amount > 1"), Def("a", "payload.amount > 1"), Def("B", "payload.amount > 1"));

        var result = set.Evaluate(Refund, PolicyDecision.Allow);

        Assert.Equal(["B", "a", "b"], result.Matched.Select(m => m.Id));
    }

    [Fact]
    public void Restrictiveness_beats_priority()
    {
        var set = Set(
            Def("allow", "payload.amount > 1", PolicyDecision.Allow, priority: 1000),
            Def("alert", "payload.amount > 1", PolicyDecision.AllowWithAlert, priority: -1000));

        Assert.Equal("alert", set.Evaluate(Refund, PolicyDecision.Allow).Winner!.Id);
    }

    [Fact]
    public void Reason_defaults_to_the_policy_name()
    {
        var set = Set(new PolicyDefinition("p", "Big refunds", "payload.amount > 1", PolicyDecision.Block));

        Assert.Equal("matched policy `Big refunds`", set.Evaluate(Refund, PolicyDecision.Allow).Reason);
    }

    [Theory]
    [InlineData(PolicyDecision.Allow)]
    [InlineData(PolicyDecision.AllowWithAlert)]
    [InlineData(PolicyDecision.RequireApproval)]
    [InlineData(PolicyDecision.Block)]
    public void No_match_gives_the_workspace_default(PolicyDecision fallback)
    {
        var set = Set(Def("p", "payload.amount > 100000"));

        var result = set.Evaluate(Refund, fallback);

        Assert.Equal(fallback, result.Decision);
        Assert.Equal("no policy matched; workspace default applies", result.Reason);
        Assert.Null(result.Winner);
        Assert.Empty(result.Matched);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void An_undefined_default_decision_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Set().Evaluate(Refund, (PolicyDecision)9));
    }

    [Fact]
    public void Matched_policies_carry_everything_the_server_needs()
    {
        var set = Set(Def("p", "payload.amount > 1", PolicyDecision.RequireApproval, priority: 7, reason: "why", approvals: 2));

        var matched = set.Evaluate(Refund, PolicyDecision.Allow).Winner;

        Assert.Equal(new MatchedPolicy("p", "policy p", PolicyDecision.RequireApproval, "why", 7, 2), matched);
    }

    [Fact]
    public void Agent_scoped_policies_apply_only_to_their_agents()
    {
        var many = Enumerable.Range(0, 20).Select(i => $"agt_{i + 100}").Append("agt_2").ToArray();
        var set = Set(
            Def("only-1", "payload.amount > 1", agents: ["agt_1"], reason: "one"),
            Def("many", "payload.amount > 1", PolicyDecision.RequireApproval, agents: many, reason: "many"),
            Def("empty-list", "payload.amount > 1", PolicyDecision.AllowWithAlert, agents: [], reason: "all"));

        Assert.Equal("one", set.Evaluate(Requests.Refund(agentId: "agt_1"), PolicyDecision.Allow).Reason);
        Assert.Equal("many", set.Evaluate(Requests.Refund(agentId: "agt_2"), PolicyDecision.Allow).Reason);
        Assert.Equal("all", set.Evaluate(Requests.Refund(agentId: "agt_3"), PolicyDecision.Allow).Reason);
        Assert.Equal("all", set.Evaluate(Requests.Refund(agentId: null), PolicyDecision.Allow).Reason);
    }

    [Fact]
    public void A_list_of_blank_agent_ids_does_not_widen_the_scope_to_everyone()
    {
        var set = Set(Def("blank", "payload.amount > 1", agents: [""]));

        Assert.Empty(set.Evaluate(Requests.Refund(agentId: "agt_1"), PolicyDecision.Allow).Matched);
    }

    [Fact]
    public void Disabled_policies_never_match_but_are_still_checked()
    {
        var result = PolicySet.Compile([
            Def("off", "payload.amount > 1", enabled: false),
            Def("off-broken", "payload.amount >", enabled: false),
        ]);

        Assert.Equal(PolicyDecision.Allow, result.Set.Evaluate(Refund, PolicyDecision.Allow).Decision);
        Assert.Equal(1, result.Set.Count);
        Assert.Equal(["off-broken"], result.DiagnosticsByPolicyId.Keys);
    }

    [Fact]
    public void Invalid_policies_are_reported_and_left_out()
    {
        var result = PolicySet.Compile([
            Def("good", "payload.amount > 1", PolicyDecision.AllowWithAlert),
            Def("bad", "payload.amount > > 1"),
            Def("good", "payload.amount > 1"),
            Def(" ", "payload.amount > 1"),
            Def("zero", "payload.amount > 1", approvals: 0),
            Def("weird", "payload.amount > 1", (PolicyDecision)7),
            new PolicyDefinition("nameless", "", "payload.amount > 1", PolicyDecision.Block),
        ]);

        Assert.False(result.Success);
        Assert.Equal(1, result.Set.Count);
        Assert.Equal(PolicyDecision.AllowWithAlert, result.Set.Evaluate(Refund, PolicyDecision.Allow).Decision);
        Assert.Equal(DiagnosticCodes.ExpectedValue, result.DiagnosticsByPolicyId["bad"].Single().Code);
        Assert.Equal(DiagnosticCodes.DuplicatePolicyId, result.DiagnosticsByPolicyId["good"].Single().Code);
        Assert.Equal(DiagnosticCodes.InvalidPolicy, result.DiagnosticsByPolicyId[" "].Single().Code);
        Assert.Equal("approvals required must be at least 1, found `0`", result.DiagnosticsByPolicyId["zero"].Single().Message);
        Assert.Equal(DiagnosticCodes.InvalidPolicy, result.DiagnosticsByPolicyId["weird"].Single().Code);
        Assert.Equal("policy name is empty", result.DiagnosticsByPolicyId["nameless"].Single().Message);
        Assert.Equal((0, 0, ""), (result.DiagnosticsByPolicyId["zero"][0].Line, result.DiagnosticsByPolicyId["zero"][0].Column, result.DiagnosticsByPolicyId["zero"][0].Excerpt));
    }

    [Fact]
    public void An_empty_set_always_gives_the_default()
    {
        var result = PolicySet.Compile([]);

        Assert.True(result.Success);
        Assert.Equal(0, result.Set.Count);
        Assert.Equal(PolicyDecision.RequireApproval, result.Set.Evaluate(Refund, PolicyDecision.RequireApproval).Decision);
    }

    [Fact]
    public void Concurrent_evaluations_agree_with_sequential_ones()
    {
        var set = Set(
            Def("a", "payload.amount > 5000 AND payload.currency = usd", PolicyDecision.RequireApproval),
            Def("b", "payload.amount > 9000"),
            Def("c", "payload.currency = eur", PolicyDecision.AllowWithAlert));
        var requests = Enumerable.Range(0, 64)
            .Select(i => Requests.Refund($$"""{"amount": {{i * 200}}, "currency": "{{(i % 3 == 0 ? "eur" : "usd")}}"}"""))
            .ToArray();
        var expected = requests.Select(r => set.Evaluate(r, PolicyDecision.Allow).Decision).ToArray();

        var actual = new PolicyDecision[requests.Length];
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var k = i % requests.Length;
            actual[k] = set.Evaluate(requests[k], PolicyDecision.Allow).Decision;
            Assert.Equal(expected[k], actual[k]);
        });
    }

    [Fact]
    public void Evaluation_allocates_only_the_result()
    {
        var policies = Enumerable.Range(0, 200).Select(i => Def($"p{i}", $"action_type = type.{i % 10} AND payload.amount > {i * 50} AND payload.currency IN (usd, eur)", (PolicyDecision)(i % 4)));
        var set = Set([.. policies, Def("any", "payload.customer.tier = gold", PolicyDecision.AllowWithAlert)]);
        var ctx = Requests.Of("type.3", """{"amount": 5000, "currency": "usd", "customer": {"tier": "gold"}}""");
        var miss = Requests.Of("type.none", """{"amount": 1}""");
        set.Evaluate(ctx, PolicyDecision.Allow);
        set.Evaluate(miss, PolicyDecision.Allow);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            set.Evaluate(ctx, PolicyDecision.Allow);
        }

        var perDecision = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000.0;
        before = GC.GetAllocatedBytesForCurrentThread();
        set.Evaluate(miss, PolicyDecision.Allow);
        var noMatch = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(perDecision, 1, 512);
        Assert.Equal(0, noMatch);
    }

    [Fact]
    public void Decisions_round_trip_through_their_wire_form()
    {
        foreach (var d in Enum.GetValues<PolicyDecision>())
        {
            Assert.True(PolicyDecisions.TryParse(PolicyDecisions.ToWire(d), out var parsed));
            Assert.Equal(d, parsed);
        }

        Assert.Equal("allow_with_alert", PolicyDecisions.ToWire(PolicyDecision.AllowWithAlert));
        Assert.True(PolicyDecisions.TryParse(" Block ", out var block));
        Assert.Equal(PolicyDecision.Block, block);
        Assert.False(PolicyDecisions.TryParse("deny", out _));
        Assert.False(PolicyDecisions.TryParse(null, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyDecisions.ToWire((PolicyDecision)4));
    }
}
