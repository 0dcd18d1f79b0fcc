using Portcullis.Server.Infrastructure.Changes;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// Wakes long-polls (<c>GET /api/workflow-runs/{id}?waitSeconds=N</c>) on every instance the moment a runner (or a cancel)
/// stops a run, through the change feed, so a workflow that finishes in milliseconds is answered in milliseconds and an idle
/// long-poll reads nothing.
/// </summary>
public sealed class WorkflowRunSignals(IChangeFeed changes)
{
    /// <summary>Watch before reading the run; wakes when it next stops running (or never: the caller bounds the wait).</summary>
    public ChangeWatch Watch(string workflowRunId) => changes.Watch(ChangeTopics.WorkflowRun, workflowRunId);

    /// <summary>After the write that stopped the run has committed.</summary>
    public void Notify(string workflowRunId) => changes.Publish(ChangeTopics.WorkflowRun, workflowRunId);
}
