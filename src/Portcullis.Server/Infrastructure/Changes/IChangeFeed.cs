using System.Data.Common;
using Portcullis.Storage;

namespace Portcullis.Server.Infrastructure.Changes;

/// <summary>
/// Wakes waiters (long-polls, live streams) when the thing they wait on has changed, on this instance and on every other
/// instance sharing the store, so an idle waiter costs no queries. A notification is only a hint: a woken waiter re-reads
/// the store, and every waiter re-reads once at its deadline, so a lost notification costs latency, never correctness.
/// </summary>
public interface IChangeFeed
{
    /// <summary>Starts watching <paramref name="topic"/>/<paramref name="key"/>. Watch BEFORE reading the store, so a change committed between the read and the wait still wakes it.</summary>
    ChangeWatch Watch(string topic, string key);

    /// <summary>Announces a change that has already committed.</summary>
    void Publish(string topic, string key);

    /// <summary>Announces a change written in <paramref name="transaction"/>, once (and only if) it commits.</summary>
    void PublishOnCommit(DbTransaction transaction, string topic, string key) =>
        TransactionHooks.AfterCommit(transaction, () => Publish(topic, key));
}

/// <summary>What changes are announced on; the key says which one (an id, or a workspace for a workspace-wide view).</summary>
public static class ChangeTopics
{
    /// <summary>An approval left <c>pending</c>; key: the approval id.</summary>
    public const string Approval = "approval";

    /// <summary>A workspace's pending approvals changed (one added or settled); key: the workspace id.</summary>
    public const string PendingApprovals = "pending_approvals";

    /// <summary>A workflow run stopped running; key: the workflow run id.</summary>
    public const string WorkflowRun = "workflow_run";

    /// <summary>A run's timeline or status changed; key: the run id.</summary>
    public const string Run = "run";
}
