using static Portcullis.Bench.Policies.Catalog;

namespace Portcullis.Bench.Policies;

/// <summary>
/// Generates realistic policy sets: about 95% scoped to one or two action types (spread evenly over
/// the catalogue), about 5% action-type agnostic; a mix of operators, nested paths, agent scoping,
/// regexes and a few velocity limits.
/// </summary>
internal static class PolicyGenerator
{
    public static List<Portcullis.Policies.PolicyDefinition> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var policies = new List<Portcullis.Policies.PolicyDefinition>(count);
        for (var i = 0; i < count; i++)
        {
            var agnostic = random.NextDouble() < 0.05;
            var condition = agnostic ? Agnostic(random) : Scoped(random, ActionTypes[i % ActionTypes.Length]);
            var decision = (Portcullis.Policies.PolicyDecision)Weighted(random, [30, 25, 25, 20]);
            var agents = random.NextDouble() < 0.1 ? new[] { random.Pick(Agents), random.Pick(Agents) } : null;
            policies.Add(new Portcullis.Policies.PolicyDefinition(
                $"pol_{i:D5}",
                $"generated policy {i}",
                condition,
                decision,
                random.NextDouble() < 0.5 ? $"generated reason {i}" : null,
                random.Next(0, 10),
                Enabled: random.NextDouble() > 0.03,
                AgentIds: agents,
                ApprovalsRequired: random.Next(1, 3)));
        }

        return policies;
    }

    private static string Scoped(Random random, string actionType)
    {
        var head = random.NextDouble() < 0.15
            ? $"action_type IN ({actionType}, {random.Pick(ActionTypes)})"
            : $"action_type = {actionType}";
        var predicates = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Predicate(random));
        return string.Join(" AND ", predicates.Prepend(head));
    }

    private static string Agnostic(Random random) => random.Next(6) switch
    {
        0 => $"payload.amount > {random.Next(1, 100) * 10_000}",
        1 => $"agent.id = {random.Pick(Agents)} AND evidence.confidence < 0.{random.Next(3, 7)}",
        2 => $"payload.customer.email ENDS WITH '@{random.Pick(Domains)}'",
        3 => $"payload.tags CONTAINS {random.Pick(Tags)} AND NOT payload.customer.tier = enterprise",
        4 => $"COUNT(LAST 1h PER agent) > {random.Next(50, 500)}",
        _ => $"run.trigger_type = schedule AND payload.amount >= {random.Next(1, 50) * 1000}",
    };

    private static string Predicate(Random random) => random.Next(16) switch
    {
        0 or 1 => $"payload.amount > {random.Next(1, 200) * 500}",
        2 => $"payload.amount <= {random.Next(1, 50) * 100}",
        3 => $"payload.currency = {random.Pick(Currencies)}",
        4 => $"payload.currency IN ({random.Pick(Currencies)}, {random.Pick(Currencies)}, {random.Pick(Currencies)})",
        5 => $"payload.customer.tier NOT IN ({random.Pick(Tiers)}, {random.Pick(Tiers)})",
        6 => $"payload.tags CONTAINS {random.Pick(Tags)}",
        7 => $"payload.customer.email ENDS WITH '@{random.Pick(Domains)}'",
        8 => $"payload.items[0].price >= {random.Next(1, 100) * 10}",
        9 => $"evidence.confidence < 0.{random.Next(5, 95):D2}",
        10 => $"(payload.reason = {random.Pick(Reasons)} OR payload.customer.lifetime_value > {random.Next(1, 100) * 1000})",
        11 => "payload.metadata.override EXISTS",
        12 => $"NOT payload.customer.verified = true",
        13 => random.NextDouble() < 0.3 ? "resource_id MATCHES '^(ch|pi)_[A-Za-z0-9]{8,}$'" : $"resource_id STARTS WITH {random.Pick(new[] { "ch_", "pi_", "cus_" })}",
        14 => random.NextDouble() < 0.3
            ? $"SUM(payload.amount, LAST 24h PER agent SAME ACTION) > {random.Next(10, 100) * 10_000}"
            : $"agent.name = {random.Pick(Agents).Replace("agt_", "", StringComparison.Ordinal)}-bot",
        _ => $"payload.customer.address.country IN (US, CA, GB, {random.Pick(new[] { "DE", "FR", "NL" })})",
    };

    private static int Weighted(Random random, int[] weights)
    {
        var roll = random.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
