using Portcullis.Policies.Tests.Support;
using static Portcullis.Policies.Tests.Support.Policies;

namespace Portcullis.Policies.Tests.Sets;

/// <summary>
/// A set shares path lookups between its policies; the answers must be those of each condition on
/// its own, escaped keys and repeated keys included.
/// </summary>
public class PathResolutionTests
{
    private const string Payload = """
        {"amount": 1, "amount": 2, "odd\u002dkey": "yes", "currency": "usd", "caf\u00e9": 1, "café2": 2,
         "customer": {"tier": "gold", "tier": "silver", "email": "a@b.c", "vip": true}}
        """;

    private static readonly string[] Conditions =
    [
        "payload.amount = 2",
        "payload.odd-key = yes",
        "payload.currency = usd",
        "payload.missing EXISTS",
        "payload['café'] = 1",
        "payload['café2'] = 2",
        "payload.customer.tier = silver",
        "payload.customer.email ENDS WITH '.c'",
        "payload.customer.vip = true",
        "payload.customer.nope NOT EXISTS",
    ];

    [Fact]
    public void Shared_lookups_agree_with_each_condition_alone()
    {
        var ctx = Requests.Of("t", Payload);
        var set = Set([.. Conditions.Select((c, i) => Def($"p{i}", c))]);

        var matched = set.Evaluate(ctx, PolicyDecision.Allow).Matched.Select(m => m.Id).Order().ToList();
        var expected = Conditions.Select((c, i) => (c, i)).Where(x => Requests.Matches(x.c, ctx)).Select(x => $"p{x.i}").Order().ToList();

        Assert.Equal(expected, matched);
        Assert.Equal(9, matched.Count);
        Assert.DoesNotContain("p3", matched);
    }

    [Fact]
    public void Properties_of_a_non_object_are_missing()
    {
        var set = Set(Def("a", "payload.x.a EXISTS"), Def("b", "payload.x.b EXISTS"), Def("c", "payload.x.c NOT EXISTS"));

        Assert.Equal(["c"], set.Evaluate(Requests.Of("t", """{"x": [1, 2]}"""), PolicyDecision.Allow).Matched.Select(m => m.Id));
        Assert.Equal(["c"], set.Evaluate(Requests.Of("t", """{"x": "text"}"""), PolicyDecision.Allow).Matched.Select(m => m.Id));
    }

    [Fact]
    public void Payload_evidence_and_context_paths_with_the_same_name_are_separate_lookups()
    {
        var ctx = Requests.Of("t", """{"tier": "gold"}""", evidenceJson: """{"tier": "silver"}""");
        ctx.Context = Requests.Json("""{"tier": "bronze", "ticket": {"priority": "urgent"}}""");
        ctx.Source = "mcp";
        var set = Set(
            Def("payload", "payload.tier = gold"),
            Def("evidence", "evidence.tier = silver"),
            Def("context", "context.tier = bronze AND context.ticket.priority = urgent"),
            Def("wrong", "payload.tier = bronze OR evidence.tier = bronze OR context.tier = gold OR payload.ticket EXISTS"),
            Def("source", "source = mcp AND source != rest"));

        Assert.Equal(["context", "evidence", "payload", "source"], set.Evaluate(ctx, PolicyDecision.Allow).Matched.Select(m => m.Id).Order());
    }
}
