using Microsoft.Extensions.DependencyInjection;
using Portcullis.Server.Features.Policies;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Policies;

/// <summary>The compiled sets carry the revision they were read at, so a decision records the revision it really used.</summary>
public abstract class PolicyCacheTests(ServerFixture server)
{
    [Fact]
    public async Task A_caller_that_saw_an_older_revision_gets_the_sets_labelled_with_the_revision_they_are()
    {
        var ws = await server.NewWorkspaceAsync();
        var cache = server.Factory.Services.GetRequiredService<PolicyCache>();
        var seenBefore = (await cache.GetBothAsync(ws.WorkspaceId!, 0, default)).Revision;

        // A change lands after the caller's key lookup read the revision, before the cache loads the set.
        await ws.CreatePolicyAsync("new", "action_type = refund.create", "block");
        var sets = await cache.GetBothAsync(ws.WorkspaceId!, seenBefore + 1, default);
        var stale = await cache.GetBothAsync(ws.WorkspaceId!, seenBefore, default);

        Assert.Equal(seenBefore + 1, sets.Revision);
        Assert.Equal(1, sets.Enforced.Count);
        Assert.Same(sets, stale);
    }

    [Fact]
    public async Task A_first_load_after_a_change_is_labelled_with_the_new_revision_whatever_the_caller_saw()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("new", "action_type = refund.create", "block");
        var cache = server.Factory.Services.GetRequiredService<PolicyCache>();

        var sets = await cache.GetBothAsync(ws.WorkspaceId!, 0, default);

        Assert.Equal(1, sets.Enforced.Count);
        Assert.True(sets.Revision >= 1, $"the set with the new policy is labelled revision {sets.Revision}");
    }
}

public sealed class PolicyCacheSqliteTests(SqliteServer s) : PolicyCacheTests(s), IClassFixture<SqliteServer>;

public sealed class PolicyCachePostgresTests(PostgresServer s) : PolicyCacheTests(s), IClassFixture<PostgresServer>;
