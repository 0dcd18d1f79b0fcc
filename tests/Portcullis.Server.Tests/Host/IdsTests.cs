using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Tests.Host;

/// <summary>Ids sort in the order they were made, also within one millisecond, and still cannot be guessed.</summary>
public sealed class IdsTests
{
    private sealed class FrozenTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void Ids_made_in_the_same_millisecond_are_unique_and_strictly_increasing()
    {
        var time = new FrozenTime(DateTimeOffset.UtcNow.AddYears(1));
        var ids = Enumerable.Range(0, 10_000).Select(_ => Ids.New("run", time)).ToList();

        Assert.All(ids, id => Assert.True(Ids.HasPrefix(id, "run"), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        // The step between neighbours is random: no fixed increment reveals the next id.
        Assert.True(ids.Zip(ids.Skip(1)).Select(p => p.Second[^4..]).Distinct().Count() > 9_000);
    }

    [Fact]
    public void Ids_made_concurrently_are_unique()
    {
        var time = new FrozenTime(DateTimeOffset.UtcNow.AddYears(2));
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 20_000, _ => ids.Add(Ids.New("act", time)));
        Assert.Equal(20_000, ids.Distinct().Count());
    }
}
