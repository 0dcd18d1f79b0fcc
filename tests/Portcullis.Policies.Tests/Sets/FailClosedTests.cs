using Portcullis.Policies.Tests.Support;
using static Portcullis.Policies.Tests.Support.Policies;

namespace Portcullis.Policies.Tests.Sets;

/// <summary>A policy that cannot be evaluated never grants: allows are dropped, blocks and approvals apply.</summary>
public class FailClosedTests
{
    private const string Catastrophic = "payload.text MATCHES '(a+)+$'";

    private static readonly ActionContext Evil = Requests.Of("message.send", $$"""{"text": "{{new string('a', 3000)}}!"}""");

    [Theory]
    [InlineData(PolicyDecision.Allow, false)]
    [InlineData(PolicyDecision.AllowWithAlert, false)]
    [InlineData(PolicyDecision.RequireApproval, true)]
    [InlineData(PolicyDecision.Block, true)]
    public void Regex_time_out_fails_closed(PolicyDecision decision, bool applies)
    {
        var set = Set(Def("evil", Catastrophic, decision));

        var result = set.Evaluate(Evil, PolicyDecision.AllowWithAlert);

        var error = Assert.Single(result.Errors);
        Assert.Equal(new PolicyError("evil", "policy evil", DiagnosticCodes.RegexTimeout, error.Message), error);
        Assert.Equal(applies, result.Winner is not null);
        Assert.Equal(applies ? decision : PolicyDecision.AllowWithAlert, result.Decision);
    }

    [Fact]
    public void A_failed_allow_does_not_hide_other_matches()
    {
        var set = Set(
            Def("evil-allow", Catastrophic, PolicyDecision.Allow, priority: 10),
            Def("alert", "action_type = message.send", PolicyDecision.AllowWithAlert));

        var result = set.Evaluate(Evil, PolicyDecision.Block);

        Assert.Equal(PolicyDecision.AllowWithAlert, result.Decision);
        Assert.Equal(["alert"], result.Matched.Select(m => m.Id));
        Assert.Equal("evil-allow", Assert.Single(result.Errors).PolicyId);
    }

    [Fact]
    public void A_failure_the_rest_of_the_condition_decides_is_not_an_error()
    {
        var set = Set(Def("p", $"action_type = message.send AND ({Catastrophic} OR payload.text EXISTS)"));

        var result = set.Evaluate(Evil, PolicyDecision.Allow);

        Assert.Equal(PolicyDecision.Block, result.Decision);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Missing_velocity_value_fails_closed_with_a_clear_message()
    {
        var set = Set(
            Def("cap", "COUNT(LAST 1h PER agent SAME ACTION) > 20", PolicyDecision.Block),
            Def("trusted", "COUNT(LAST 1d PER workspace) < 5", PolicyDecision.Allow));

        var result = set.Evaluate(Requests.Refund(), PolicyDecision.AllowWithAlert, new Dictionary<VelocityQuery, decimal>());

        Assert.Equal(PolicyDecision.Block, result.Decision);
        Assert.Equal(["cap"], result.Matched.Select(m => m.Id));
        Assert.Equal(
            ["no velocity value was supplied for `COUNT(LAST 1h PER agent SAME ACTION)` (action `refund.create`)", "no velocity value was supplied for `COUNT(LAST 1d PER workspace)`"],
            result.Errors.Select(e => e.Message));
        Assert.All(result.Errors, e => Assert.Equal(DiagnosticCodes.VelocityUnavailable, e.Code));
    }

    [Fact]
    public void Null_velocity_dictionary_counts_as_no_values()
    {
        var result = Set(Def("cap", "COUNT(LAST 1h PER agent) > 20")).Evaluate(Requests.Refund(), PolicyDecision.Allow);

        Assert.Equal(PolicyDecision.Block, result.Decision);
        Assert.Equal(DiagnosticCodes.VelocityUnavailable, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void A_regex_shared_by_many_policies_runs_once_and_fails_each_of_them()
    {
        var policies = Enumerable.Range(0, 20).Select(i => Def($"p{i:D2}", Catastrophic, i % 2 == 0 ? PolicyDecision.Block : PolicyDecision.Allow)).ToArray();
        var set = Set(policies);
        var started = DateTime.UtcNow;

        var result = set.Evaluate(Evil, PolicyDecision.Allow);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMilliseconds(500), "the timed-out regex ran more than once");
        Assert.Equal(20, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal(DiagnosticCodes.RegexTimeout, e.Code));
        Assert.Equal(10, result.Matched.Count);
        Assert.All(result.Matched, m => Assert.Equal(PolicyDecision.Block, m.Decision));
    }

    [Fact]
    public void An_unexpected_failure_fails_that_policy_closed_and_the_others_still_run()
    {
        var set = Set(
            Def("p-block", "payload.a = 1", PolicyDecision.Block),
            Def("p-allow", "payload.a = 1", PolicyDecision.Allow, priority: 9),
            Def("p-alert", "action_type = t", PolicyDecision.AllowWithAlert));
        var doc = System.Text.Json.JsonDocument.Parse("""{"a": 1}""");
        var ctx = new ActionContext { ActionType = "t", Payload = doc.RootElement };
        doc.Dispose(); // a caller bug: the payload's document is gone

        var result = set.Evaluate(ctx, PolicyDecision.Allow);

        Assert.Equal(PolicyDecision.Block, result.Decision);
        Assert.Equal(["p-block", "p-alert"], result.Matched.Select(m => m.Id));
        Assert.Equal(["p-allow", "p-block"], result.Errors.Select(e => e.PolicyId).Order());
        Assert.All(result.Errors, e => Assert.Equal(DiagnosticCodes.EvaluationFailed, e.Code));
    }
}
