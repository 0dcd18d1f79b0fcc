using System.Collections.Concurrent;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// Wakes this process's long-polls (<c>GET /api/workflow-runs/{id}?waitSeconds=N</c>) the moment its runner (or a cancel)
/// stops a run, so a workflow that finishes in milliseconds is answered in milliseconds. Runs advanced by another instance are seen by the
/// long-poll's periodic re-read.
/// </summary>
public sealed class WorkflowRunSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    /// <summary>A task that completes when the run next stops running (or never: the caller bounds the wait).</summary>
    public Task NextChange(string workflowRunId) =>
        _waiting.GetOrAdd(workflowRunId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(string workflowRunId)
    {
        if (_waiting.TryRemove(workflowRunId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
