using System.Text.Json;

namespace Portcullis.Sdk.Tests.Infrastructure;

/// <summary>One entry of a run's timeline, as <c>GET /api/runs/{id}</c> answers it.</summary>
public sealed record TimelineEntry(string EventType, string Source, long? SequenceNo, JsonElement Payload);

/// <summary>A run and its timeline, with the assertions the SDK tests make on them.</summary>
public sealed record RunView(string Status, IReadOnlyList<TimelineEntry> Timeline)
{
    public static RunView From(JsonElement body) => new(
        body.GetProperty("run").GetProperty("status").GetString()!,
        [.. body.GetProperty("timeline").EnumerateArray().Select(e => new TimelineEntry(
            e.GetProperty("eventType").GetString()!,
            e.GetProperty("source").GetString()!,
            e.GetProperty("sequenceNo").ValueKind == JsonValueKind.Number ? e.GetProperty("sequenceNo").GetInt64() : null,
            e.GetProperty("payload")))]);

    public IEnumerable<string> EventTypes => Timeline.Select(e => e.EventType);

    public string Describe() => string.Join("\n", Timeline.Select(e => $"  {e.SequenceNo?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {e.Source} {e.EventType}"));

    /// <summary>The entry of that type written by <paramref name="source"/> (<c>agent</c> or <c>system</c>).</summary>
    public TimelineEntry Single(string eventType, string source)
    {
        var found = Timeline.Where(e => e.EventType == eventType && e.Source == source).ToList();
        Assert.True(found.Count == 1, $"expected one {source} `{eventType}` entry, found {found.Count}:\n{Describe()}");
        return found[0];
    }

    /// <summary>Asserts that the timeline holds these event types in this order (other entries may sit between them).</summary>
    public void AssertInOrder(params string[] expected)
    {
        var position = 0;
        foreach (var entry in Timeline)
        {
            if (position < expected.Length && entry.EventType == expected[position])
            {
                position++;
            }
        }

        Assert.True(position == expected.Length,
            $"expected the timeline to hold, in order, {string.Join(", ", expected)}; missing from `{expected.ElementAtOrDefault(position)}` on:\n{Describe()}");
    }

    /// <summary>Asserts that the agent's own events are exactly these, numbered from 2.</summary>
    public void AssertAgentEvents(params string[] expected)
    {
        var agent = Timeline.Where(e => e.Source == "agent").ToList();
        Assert.True(agent.Select(e => e.EventType).SequenceEqual(expected),
            $"expected the agent's events {string.Join(", ", expected)}:\n{Describe()}");
        Assert.Equal(Enumerable.Range(2, expected.Length).Select(i => (long?)i), agent.Select(e => e.SequenceNo));
    }

    public void AssertAbsent(params string[] eventTypes)
    {
        foreach (var type in eventTypes)
        {
            Assert.True(Timeline.All(e => e.EventType != type), $"expected no `{type}` entry:\n{Describe()}");
        }
    }
}
