using System.Globalization;
using System.Text.Json;
using Portcullis.Policies;
using static Portcullis.Bench.Policies.Catalog;

namespace Portcullis.Bench.Policies;

/// <summary>Realistic action requests: 10–15 payload properties, a nested customer, an items array and tags.</summary>
internal static class RequestGenerator
{
    public static List<ActionContext> Generate(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => Create(random, ActionTypes[i % ActionTypes.Length]))];
    }

    private static ActionContext Create(Random random, string actionType)
    {
        var agent = random.Pick(Agents);
        var tags = string.Join(", ", Tags.Where(_ => random.NextDouble() < 0.3).Select(t => $"\"{t}\""));
        var amount = random.Next(1, 400) * 250;
        var payload = string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "charge": "ch_{{random.Next(10_000_000, 99_999_999)}}",
              "amount": {{amount}},
              "currency": "{{random.Pick(Currencies)}}",
              "reason": "{{random.Pick(Reasons)}}",
              "description": "Refund for order {{random.Next(1000, 9999)}} requested via chat",
              "to": "customer{{random.Next(100)}}@{{random.Pick(Domains)}}",
              "subject": "Your request #{{random.Next(10_000)}}",
              "customer": {
                "id": "cus_{{random.Next(100_000)}}",
                "email": "person{{random.Next(500)}}@{{random.Pick(Domains)}}",
                "tier": "{{random.Pick(Tiers)}}",
                "verified": {{(random.NextDouble() < 0.7 ? "true" : "false")}},
                "lifetime_value": {{random.Next(0, 200_000)}},
                "address": { "country": "{{random.Pick(new[] { "US", "CA", "GB", "DE", "FR", "JP" })}}", "city": "Springfield" }
              },
              "items": [
                { "sku": "SKU-{{random.Next(1000)}}", "price": {{random.Next(1, 1000)}}.99, "qty": {{random.Next(1, 5)}} },
                { "sku": "SKU-{{random.Next(1000)}}", "price": {{random.Next(1, 1000)}}.50, "qty": 1 }
              ],
              "tags": [{{tags}}],
              "metadata": { "source": "agent", "attempt": {{random.Next(1, 3)}} }
            }
            """);
        var evidence = string.Create(CultureInfo.InvariantCulture, $$"""{"confidence": {{random.NextDouble():F2}}, "sources": ["kb-{{random.Next(100)}}"], "model": "gpt-x"}""");
        return new ActionContext
        {
            ActionType = actionType,
            Provider = "stripe",
            ResourceType = "charge",
            ResourceId = random.NextDouble() < 0.5 ? $"ch_{random.Next(10_000_000, 99_999_999)}abc" : $"pi_{random.Next(1000)}",
            Payload = JsonDocument.Parse(payload).RootElement.Clone(),
            Evidence = JsonDocument.Parse(evidence).RootElement.Clone(),
            AgentId = agent,
            AgentName = agent.Replace("agt_", "", StringComparison.Ordinal) + "-bot",
            AgentVersion = "2.3.1",
            RunTriggerType = random.NextDouble() < 0.2 ? "schedule" : "webhook",
            RunExternalRef = $"ticket-{random.Next(100_000)}",
        };
    }
}
