using Portcullis.Policies.Tests.Support;
using static Portcullis.Policies.Tests.Support.Policies;

namespace Portcullis.Policies.Tests.Sets;

/// <summary>
/// The indexed set must give exactly what a brute-force reading of the rules gives: evaluate every
/// enabled, in-scope policy's full condition on its own, keep matches (and failed blocks/approvals),
/// sort by restrictiveness, priority and id.
/// </summary>
public class IndexingEquivalenceTests
{
    private static readonly string[] ActionTypes = ["refund.create", "email.send", "crm.update_record", "ticket.get", "sms.send"];
    private static readonly string[] Agents = ["agt_1", "agt_2", "agt_3"];

    [Fact]
    public void Indexed_set_matches_brute_force_on_random_policies_and_requests()
    {
        var random = new Random(20240611);
        for (var round = 0; round < 150; round++)
        {
            var definitions = Enumerable.Range(0, random.Next(1, 40)).Select(i => RandomPolicy(random, i)).ToList();
            var set = Set([.. definitions]);
            var conditions = definitions.ToDictionary(d => d.Id, d => Requests.Compile(d.Condition));

            for (var r = 0; r < 25; r++)
            {
                var ctx = RandomRequest(random);
                var velocity = RandomVelocity(random, set.VelocityQueriesFor(ctx));
                var fallback = (PolicyDecision)random.Next(4);

                var actual = set.Evaluate(ctx, fallback, velocity);
                var expected = BruteForce(definitions, conditions, ctx, fallback, velocity);

                var because = $"round {round}, request {r}";
                Assert.True(expected.Decision == actual.Decision, because);
                Assert.Equal(expected.Reason, actual.Reason);
                Assert.Equal(expected.Winner, actual.Winner);
                Assert.Equal(expected.Matched, actual.Matched);
                Assert.Equal(expected.Errors.Select(e => (e.PolicyId, e.Code)).Order(), actual.Errors.Select(e => (e.PolicyId, e.Code)).Order());
            }
        }
    }

    private static PolicyEvaluation BruteForce(
        List<PolicyDefinition> definitions,
        Dictionary<string, CompiledCondition> conditions,
        ActionContext ctx,
        PolicyDecision fallback,
        IReadOnlyDictionary<VelocityQuery, decimal> velocity)
    {
        var matched = new List<PolicyDefinition>();
        var errors = new List<PolicyError>();
        foreach (var d in definitions.Where(d => d.Enabled && (d.AgentIds is not { Count: > 0 } || d.AgentIds.Contains(ctx.AgentId!))))
        {
            var outcome = conditions[d.Id].Evaluate(ctx, velocity);
            if (outcome.IsError)
            {
                errors.Add(new PolicyError(d.Id, d.Name, outcome.ErrorCode!, outcome.ErrorMessage!));
            }

            if (outcome.IsMatch || (outcome.IsError && d.Decision >= PolicyDecision.RequireApproval))
            {
                matched.Add(d);
            }
        }

        var ordered = matched
            .OrderByDescending(d => d.Decision).ThenByDescending(d => d.Priority).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new MatchedPolicy(d.Id, d.Name, d.Decision, d.Reason, d.Priority, d.ApprovalsRequired))
            .ToList();
        if (ordered.Count == 0)
        {
            return new PolicyEvaluation(fallback, "no policy matched; workspace default applies", null, [], errors);
        }

        var winner = ordered[0];
        return new PolicyEvaluation(winner.Decision, winner.Reason ?? $"matched policy `{winner.Name}`", winner, ordered, errors);
    }

    private static PolicyDefinition RandomPolicy(Random random, int index)
    {
        var body = Pick(random, [
            $"payload.amount > {random.Next(0, 10) * 1000}",
            $"payload.currency = {Pick(random, ["usd", "eur"])}",
            $"payload.currency IN (usd, gbp)",
            "payload.customer.tier STARTS WITH 'go'",
            $"payload.tags CONTAINS {Pick(random, ["vip", "new"])}",
            "NOT payload.flag = true",
            "payload.missing != 1",
            $"agent.id = {Pick(random, Agents)}",
            $"COUNT(LAST 1h PER {Pick(random, ["agent", "workspace"])}) > {random.Next(0, 5)}",
            $"SUM(payload.amount, LAST 1d PER agent SAME ACTION) > {random.Next(0, 20) * 1000}",
            $"payload.amount > 100 OR payload.currency = eur",
            $"source IN ({Pick(random, ["rest", "mcp"])}, dashboard)",
            $"context.ticket.priority = {Pick(random, ["urgent", "low"])}",
        ]);
        var prefix = random.Next(6) switch
        {
            0 or 1 => $"action_type = {Pick(random, ActionTypes)} AND ",
            2 => $"action_type IN ({Pick(random, ActionTypes)}, {Pick(random, ActionTypes)}) AND ",
            3 => $"(action_type = {Pick(random, ActionTypes)} OR action_type = {Pick(random, ActionTypes)}) AND ",
            4 => $"payload.amount >= 0 AND action_type = {Pick(random, ActionTypes)} AND action_type = {Pick(random, ActionTypes)} AND ",
            _ => "",
        };
        var agents = random.Next(4) == 0 ? Agents.Where(_ => random.Next(2) == 0).ToArray() : null;
        return new PolicyDefinition(
            $"p{random.Next(0, 1000):D3}-{index}",
            $"policy {index}",
            prefix + body,
            (PolicyDecision)random.Next(4),
            random.Next(2) == 0 ? null : $"reason {index}",
            random.Next(-1, 3),
            random.Next(8) != 0,
            agents);
    }

    private static ActionContext RandomRequest(Random random)
    {
        var tags = string.Join(", ", new[] { "\"vip\"", "\"new\"", "\"eu\"" }.Where(_ => random.Next(2) == 0));
        var payload = $$"""
            {"amount": {{random.Next(0, 12) * 1000}}, "currency": "{{Pick(random, ["usd", "eur", "gbp"])}}",
             "customer": {"tier": "{{Pick(random, ["gold", "silver"])}}"}, "tags": [{{tags}}], "flag": {{(random.Next(2) == 0 ? "true" : "false")}}}
            """;
        var ctx = Requests.Of(Pick(random, [.. ActionTypes, "custom.unknown"]), payload, random.Next(5) == 0 ? null : Pick(random, Agents));
        ctx.Source = random.Next(5) == 0 ? null : Pick(random, ["rest", "dashboard", "workflow", "mcp"]);
        ctx.Context = random.Next(3) == 0 ? null : Requests.Json($$$"""{"ticket": {"priority": "{{{Pick(random, ["urgent", "low"])}}}"}}""");
        return ctx;
    }

    /// <summary>Usually supplies every requested value; sometimes leaves one out to exercise fail-closed handling.</summary>
    private static Dictionary<VelocityQuery, decimal> RandomVelocity(Random random, IReadOnlyList<VelocityQuery> queries) =>
        queries.Where(_ => random.Next(6) != 0).ToDictionary(q => q, _ => (decimal)random.Next(0, 10) * (random.Next(2) == 0 ? 1 : 1000));

    private static string Pick(Random random, string[] options) => options[random.Next(options.Length)];
}
