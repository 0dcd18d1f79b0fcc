using Portcullis.Policies.Tests.Support;
using static Portcullis.Policies.Tests.Support.Policies;

namespace Portcullis.Policies.Tests.Sets;

public class VelocityTests
{
    private static VelocityQuery Count(string window, VelocityScope scope, string? action = null) =>
        new(VelocityAggregate.Count, null, Window(window), scope, action);

    private static VelocityQuery Sum(string path, string window, VelocityScope scope, string? action = null) =>
        new(VelocityAggregate.Sum, path, Window(window), scope, action);

    private static TimeSpan Window(string text) => text[^1] switch
    {
        'm' => TimeSpan.FromMinutes(int.Parse(text[..^1])),
        'h' => TimeSpan.FromHours(int.Parse(text[..^1])),
        _ => TimeSpan.FromDays(int.Parse(text[..^1])),
    };

    [Fact]
    public void Lists_the_distinct_queries_of_candidate_policies_with_same_action_filled_in()
    {
        var set = Set(
            Def("a", "action_type = refund.create AND COUNT(LAST 1h PER agent) > 20"),
            Def("b", "COUNT(LAST 60m PER agent) > 50"),
            Def("c", "action_type = refund.create AND SUM(payload.amount, LAST 24h PER agent SAME ACTION) > 100000"),
            Def("d", "COUNT(LAST 10m PER workspace SAME ACTION) >= 5"),
            Def("email-only", "action_type = email.send AND COUNT(LAST 1d PER workspace) > 1"),
            Def("other-agent", "COUNT(LAST 2h PER agent) > 1", agents: ["agt_9"]),
            Def("disabled", "COUNT(LAST 3h PER agent) > 1", enabled: false));

        var queries = set.VelocityQueriesFor(Requests.Refund());

        Assert.Equal(3 + 0, queries.Count);
        Assert.Contains(Count("1h", VelocityScope.Agent), queries);
        Assert.Contains(Sum("amount", "1d", VelocityScope.Agent, "refund.create"), queries);
        Assert.Contains(Count("10m", VelocityScope.Workspace, "refund.create"), queries);
    }

    [Fact]
    public void Queries_whose_policy_is_already_decided_are_not_requested()
    {
        var set = Set(
            Def("big", "action_type = refund.create AND payload.amount > 100000 AND COUNT(LAST 1h PER agent) > 1"),
            Def("or", "payload.currency = usd OR SUM(payload.amount, LAST 1d PER agent) > 5"));

        Assert.Empty(set.VelocityQueriesFor(Requests.Refund()));
        Assert.Single(set.VelocityQueriesFor(Requests.Refund("""{"amount": 200000, "currency": "usd"}""")));
        Assert.Equal(2, set.VelocityQueriesFor(Requests.Refund("""{"amount": 200000, "currency": "eur"}""")).Count);
    }

    [Fact]
    public void No_velocity_anywhere_means_an_empty_list()
    {
        var set = Set(Def("a", "payload.amount > 1"), Def("b", "action_type = email.send AND COUNT(LAST 1h PER agent) > 1"));

        Assert.Empty(set.VelocityQueriesFor(Requests.Refund()));
    }

    [Fact]
    public void Sum_includes_the_current_request()
    {
        var set = Set(Def("cap", "action_type = refund.create AND SUM(payload.amount, LAST 24h PER agent SAME ACTION) > 100000"));
        var ctx = Requests.Refund("""{"amount": 6000}""");
        var query = Assert.Single(set.VelocityQueriesFor(ctx));

        Assert.Equal(PolicyDecision.Allow, set.Evaluate(ctx, PolicyDecision.Allow, new Dictionary<VelocityQuery, decimal> { [query] = 94000 }).Decision);
        Assert.Equal(PolicyDecision.Block, set.Evaluate(ctx, PolicyDecision.Allow, new Dictionary<VelocityQuery, decimal> { [query] = 94001 }).Decision);
    }

    [Fact]
    public void Count_excludes_the_current_request()
    {
        var set = Set(Def("burst", "COUNT(LAST 10m PER workspace SAME ACTION) >= 5"));
        var ctx = Requests.Refund();
        var query = Assert.Single(set.VelocityQueriesFor(ctx));

        Assert.Equal(PolicyDecision.Allow, set.Evaluate(ctx, PolicyDecision.Allow, new Dictionary<VelocityQuery, decimal> { [query] = 4 }).Decision);
        Assert.Equal(PolicyDecision.Block, set.Evaluate(ctx, PolicyDecision.Allow, new Dictionary<VelocityQuery, decimal> { [query] = 5 }).Decision);
    }

    [Fact]
    public void Queries_round_trip_as_dictionary_keys_built_by_the_server()
    {
        var set = Set(Def("cap", "SUM(payload.items[0].price, LAST 1d PER workspace SAME ACTION) > 10"));
        var ctx = Requests.Refund("""{"items": [{"price": 4}]}""");

        var query = Assert.Single(set.VelocityQueriesFor(ctx));
        var serverBuilt = new VelocityQuery(VelocityAggregate.Sum, "items[0].price", TimeSpan.FromHours(24), VelocityScope.Workspace, "refund.create");

        Assert.Equal(serverBuilt, query);
        Assert.Equal(PolicyDecision.Block, set.Evaluate(ctx, PolicyDecision.Allow, new Dictionary<VelocityQuery, decimal> { [serverBuilt] = 7 }).Decision);
    }

    [Fact]
    public void Same_action_terms_follow_the_request_whether_or_not_the_policy_is_typed()
    {
        var set = Set(
            Def("typed", "action_type = refund.create AND SUM(payload.amount, LAST 1d PER agent SAME ACTION) > 10", reason: "typed"),
            Def("both", "action_type IN (refund.create, email.send) AND SUM(payload.amount, LAST 1d PER agent SAME ACTION) > 10", PolicyDecision.RequireApproval, reason: "both"),
            Def("any", "SUM(payload.amount, LAST 1d PER agent SAME ACTION) > 10", PolicyDecision.AllowWithAlert, reason: "any"));
        var refund = Requests.Of("refund.create", """{"amount": 5}""");
        var email = Requests.Of("email.send", """{"amount": 5}""");

        var refundQuery = Assert.Single(set.VelocityQueriesFor(refund));
        var emailQuery = Assert.Single(set.VelocityQueriesFor(email));
        var values = new Dictionary<VelocityQuery, decimal> { [refundQuery] = 100, [emailQuery] = 1 };

        Assert.Equal("refund.create", refundQuery.ActionType);
        Assert.Equal("email.send", emailQuery.ActionType);
        Assert.Equal(["typed", "both", "any"], set.Evaluate(refund, PolicyDecision.Allow, values).Matched.Select(m => m.Id));
        Assert.Empty(set.Evaluate(email, PolicyDecision.Allow, values).Matched);
    }

    [Fact]
    public void A_missing_value_shared_by_several_policies_is_reported_for_each()
    {
        var set = Set(
            Def("a", "COUNT(LAST 1h PER agent) > 1"),
            Def("b", "COUNT(LAST 1h PER agent) > 1 AND payload.amount > 1", PolicyDecision.RequireApproval),
            Def("c", "COUNT(LAST 60m PER agent) > 5", PolicyDecision.Allow));

        var result = set.Evaluate(Requests.Refund(), PolicyDecision.Allow, new Dictionary<VelocityQuery, decimal>());

        Assert.Equal(["a", "b", "c"], result.Errors.Select(e => e.PolicyId).Order());
        Assert.Equal(["a", "b"], result.Matched.Select(m => m.Id));
    }
}
