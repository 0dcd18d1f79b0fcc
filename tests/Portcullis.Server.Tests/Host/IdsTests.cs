using Portcullis.Server.Infrastructure;

namespace Portcullis.Server.Tests.Host;

/// <summary>
/// The id generator's state is process-wide: a test that freezes time must not interleave with the ids other tests make at
/// the real time (each switch of millisecond restarts the sequence), so these run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(nameof(IdsCollection), DisableParallelization = true)]
public sealed class IdsCollection;

/// <summary>Ids sort in the order they were made, also within one millisecond, and still cannot be guessed.</summary>
[Collection(nameof(IdsCollection))]
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
