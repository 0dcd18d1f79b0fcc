using Portcullis.Server.Infrastructure.Changes;

namespace Portcullis.Server.Tests.Scaling;

/// <summary>The in-process half of the change feed: who is woken, and that nothing stays behind once nobody watches.</summary>
public sealed class ChangeHubTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_wake_reaches_every_watch_of_its_key_and_no_other()
    {
        var hub = new ChangeHub();
        using var first = hub.Watch(ChangeTopics.Approval, "apr_1");
        using var second = hub.Watch(ChangeTopics.Approval, "apr_1");
        using var other = hub.Watch(ChangeTopics.Approval, "apr_2");
        using var otherTopic = hub.Watch(ChangeTopics.Run, "apr_1");

        hub.Wake(ChangeTopics.Approval, "apr_1");

        Assert.True(await first.WaitAsync(Short, TimeProvider.System, CancellationToken.None));
        Assert.True(await second.WaitAsync(Short, TimeProvider.System, CancellationToken.None));
        Assert.False(await other.WaitAsync(Short, TimeProvider.System, CancellationToken.None));
        Assert.False(await otherTopic.WaitAsync(Short, TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task A_watch_started_after_a_wake_waits_for_the_next_one()
    {
        var hub = new ChangeHub();
        hub.Wake(ChangeTopics.WorkflowRun, "wfr_1");
        using var late = hub.Watch(ChangeTopics.WorkflowRun, "wfr_1");

        Assert.False(await late.WaitAsync(Short, TimeProvider.System, CancellationToken.None));
        hub.Wake(ChangeTopics.WorkflowRun, "wfr_1");
        Assert.True(await late.WaitAsync(Short, TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task Wake_all_reaches_every_watch_for_a_re_read()
    {
        var hub = new ChangeHub();
        using var one = hub.Watch(ChangeTopics.Approval, "apr_1");
        using var two = hub.Watch(ChangeTopics.PendingApprovals, "ws_1");

        hub.WakeAll();

        Assert.True(await one.WaitAsync(Short, TimeProvider.System, CancellationToken.None));
        Assert.True(await two.WaitAsync(Short, TimeProvider.System, CancellationToken.None));
        Assert.Equal(0, hub.Watched);
    }

    [Fact]
    public void Watches_that_end_without_a_wake_leave_nothing_behind()
    {
        var hub = new ChangeHub();
        var watches = Enumerable.Range(0, 100).Select(i => hub.Watch(ChangeTopics.Run, $"run_{i % 10}")).ToList();
        Assert.Equal(10, hub.Watched);

        watches.ForEach(w => w.Dispose());
        watches[0].Dispose();

        Assert.Equal(0, hub.Watched);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_a_zero_wait_answers_at_once()
    {
        var hub = new ChangeHub();
        using var watch = hub.Watch(ChangeTopics.Approval, "apr_1");

        Assert.False(await watch.WaitAsync(TimeSpan.Zero, TimeProvider.System, CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, new CancellationToken(true)));
    }
}
