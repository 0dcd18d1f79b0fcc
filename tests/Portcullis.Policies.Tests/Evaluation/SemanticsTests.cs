using Portcullis.Policies.Tests.Support;

namespace Portcullis.Policies.Tests.Evaluation;

/// <summary>The type-mismatch table of docs/policies.md, row by row.</summary>
public class SemanticsTests
{
    private const string Payload = """{"n": 5, "s": "abc", "ns": "5", "b": true, "z": null, "arr": [1, "x"], "obj": {"k": 1}}""";

    [Theory]
    //         left      op   right    =      expected
    [InlineData("payload.n", "=", "5", true)]
    [InlineData("payload.n", "=", "5.00", true)]
    [InlineData("payload.n", "=", "'5'", true)]
    [InlineData("payload.ns", "=", "5", true)]
    [InlineData("payload.ns", ">", "4", true)]
    [InlineData("payload.ns", "=", "'5'", true)]
    [InlineData("payload.s", "=", "5", false)]
    [InlineData("payload.s", "!=", "5", true)]
    [InlineData("payload.s", "<", "5", false)]
    [InlineData("payload.s", ">", "5", false)]
    [InlineData("payload.s", ">", "'abb'", true)]
    [InlineData("payload.s", "<", "'abd'", true)]
    [InlineData("payload.b", "=", "true", true)]
    [InlineData("payload.b", "=", "'true'", false)]
    [InlineData("payload.b", "!=", "'true'", true)]
    [InlineData("payload.b", "=", "1", false)]
    [InlineData("payload.z", "=", "null", true)]
    [InlineData("payload.z", "!=", "null", false)]
    [InlineData("payload.z", "=", "0", false)]
    [InlineData("payload.z", "!=", "0", true)]
    [InlineData("payload.z", "=", "''", false)]
    [InlineData("payload.n", "=", "null", false)]
    [InlineData("payload.arr", "=", "1", false)]
    [InlineData("payload.arr", "!=", "1", true)]
    [InlineData("payload.arr", "<", "1", false)]
    [InlineData("payload.obj", "=", "1", false)]
    [InlineData("payload.obj", ">", "0", false)]
    [InlineData("payload.missing", "=", "5", false)]
    [InlineData("payload.missing", "!=", "5", false)]
    [InlineData("payload.missing", "<", "5", false)]
    [InlineData("payload.missing", "=", "null", false)]
    [InlineData("payload.missing", "!=", "null", false)]
    public void Comparison_follows_the_type_table(string left, string op, string right, bool expected)
    {
        Assert.Equal(expected, Requests.Matches($"{left} {op} {right}", Requests.Of("t", Payload)));
    }

    [Fact]
    public void Missing_fields_make_every_comparison_false_but_not_their_negation()
    {
        var ctx = Requests.Of("t", Payload);

        Assert.False(Requests.Matches("payload.x != 5", ctx));
        Assert.True(Requests.Matches("NOT payload.x = 5", ctx));
        Assert.False(Requests.Matches("payload.x NOT IN (1)", ctx));
        Assert.True(Requests.Matches("NOT payload.x IN (1)", ctx));
        Assert.True(Requests.Matches("payload.x NOT EXISTS", ctx));
    }

    [Fact]
    public void A_missing_operand_decides_false_even_next_to_an_unknown_velocity()
    {
        var outcome = Requests.Compile("payload.missing > COUNT(LAST 1h PER agent)").Evaluate(Requests.Of("t", Payload));

        Assert.False(outcome.IsError);
        Assert.False(outcome.IsMatch);
    }

    [Fact]
    public void Unknown_parts_follow_three_valued_logic()
    {
        var ctx = Requests.Of("t", Payload);
        const string unknown = "COUNT(LAST 1h PER agent) > 1";

        Assert.True(Requests.Compile($"{unknown} OR payload.n = 5").Evaluate(ctx).IsMatch);
        Assert.False(Requests.Compile($"{unknown} AND payload.n = 6").Evaluate(ctx).IsError);
        Assert.True(Requests.Compile($"{unknown} AND payload.n = 5").Evaluate(ctx).IsError);
        Assert.True(Requests.Compile($"NOT ({unknown} OR payload.n = 6)").Evaluate(ctx).IsError);
    }

    [Fact]
    public void Regex_time_out_is_an_evaluation_error_not_an_exception()
    {
        var ctx = Requests.Of("t", $$"""{"text": "{{new string('a', 5000)}}!"}""");
        var started = DateTime.UtcNow;

        var outcome = Requests.Compile("payload.text MATCHES '(a+)+$'").Evaluate(ctx);

        Assert.Equal(DiagnosticCodes.RegexTimeout, outcome.ErrorCode);
        Assert.Contains("50 ms", outcome.ErrorMessage);
        Assert.False(outcome.IsMatch);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Long_and_escaped_strings_take_the_allocating_path_and_agree()
    {
        var longText = new string('x', 2000) + "tail";
        var ctx = Requests.Of("t", $$"""{"long": "{{longText}}", "esc": "a\u0062c"}""");

        Assert.True(Requests.Matches("payload.long MATCHES 'tail$' AND payload.long ENDS WITH 'tail'", ctx));
        Assert.True(Requests.Matches("payload.esc = abc AND payload.esc MATCHES '^abc$' AND payload.esc STARTS WITH 'ab'", ctx));
    }

    [Fact]
    public void Invalid_unicode_in_the_request_is_compared_in_escaped_form_not_an_error()
    {
        var ctx = Requests.Of("t", """{"s": "x\ud800y"}""");

        Assert.True(Requests.Matches("payload.s STARTS WITH 'x' AND payload.s MATCHES 'y$' AND payload.s > 'a'", ctx));
        Assert.False(Requests.Matches("payload.s CONTAINS '\\ud800'", ctx));
        Assert.False(Requests.Matches("payload.s = 'x\\ud800y'", ctx));
    }

    [Fact]
    public void Duplicate_json_keys_use_the_last_value()
    {
        Assert.True(Requests.Matches("payload.amount = 2", Requests.Of("t", """{"amount": 1, "amount": 2}""")));
    }

    [Fact]
    public void Evaluating_a_compiled_condition_does_not_allocate()
    {
        var condition = Requests.Compile("payload.amount > 5000 AND payload.currency IN (usd, eur) AND payload.customer.tier STARTS WITH 'go' AND provider = stripe");
        var ctx = Requests.Refund("""{"amount": 6000, "currency": "usd", "customer": {"tier": "gold"}}""");
        condition.Evaluate(ctx);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(condition.Evaluate(ctx).IsMatch);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Velocity_queries_of_a_condition_are_only_those_that_matter()
    {
        var condition = Requests.Compile("payload.amount > 5000 AND SUM(payload.amount, LAST 1d PER agent SAME ACTION) > 10000");

        var needed = condition.VelocityQueriesFor(Requests.Refund());
        var notNeeded = condition.VelocityQueriesFor(Requests.Refund("""{"amount": 10}"""));

        Assert.Equal([new VelocityQuery(VelocityAggregate.Sum, "amount", TimeSpan.FromDays(1), VelocityScope.Agent, "refund.create")], needed);
        Assert.Empty(notNeeded);
        Assert.Empty(Requests.Compile("payload.amount > 1").VelocityQueriesFor(Requests.Refund()));
    }

    [Fact]
    public void Compiled_condition_exposes_its_action_types()
    {
        Assert.Equal(["refund.create"], Requests.Compile("action_type = refund.create AND payload.amount > 1").ActionTypes);
        Assert.Equal(["a", "b"], Requests.Compile("payload.x = 1 AND action_type IN (b, a)").ActionTypes);
        Assert.Equal(["b"], Requests.Compile("action_type IN (a, b) AND (action_type = b AND payload.x = 1)").ActionTypes);
        Assert.Empty(Requests.Compile("action_type = a AND action_type = b").ActionTypes!);
        Assert.Null(Requests.Compile("action_type = a OR action_type = b").ActionTypes);
        Assert.Null(Requests.Compile("NOT action_type = a").ActionTypes);
        Assert.Null(Requests.Compile("action_type IN (a, 5)").ActionTypes);
    }

    [Fact]
    public void Velocity_query_prints_in_condition_syntax()
    {
        Assert.Equal("SUM(payload.amount, LAST 1d PER agent SAME ACTION)", new VelocityQuery(VelocityAggregate.Sum, "amount", TimeSpan.FromHours(24), VelocityScope.Agent, "refund.create").ToString());
        Assert.Equal("COUNT(LAST 1h30m PER workspace)", new VelocityQuery(VelocityAggregate.Count, null, TimeSpan.FromMinutes(90), VelocityScope.Workspace, null).ToString());
        Assert.Equal("SUM(payload[\"odd-key\"], LAST 10m PER agent)", new VelocityQuery(VelocityAggregate.Sum, "[\"odd-key\"]", TimeSpan.FromMinutes(10), VelocityScope.Agent, null).ToString());
    }
}
