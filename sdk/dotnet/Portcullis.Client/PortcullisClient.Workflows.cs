using Portcullis.Client.Http;

namespace Portcullis.Client;

/// <summary>Workflow runs: start one, read it, wait for it, cancel it.</summary>
public sealed partial class PortcullisClient
{
    /// <summary>
    /// Starts a run of a workflow; the server runs its steps in the background (answer 202). Always sent
    /// with an <c>Idempotency-Key</c> header (a new GUID when you give none), so retries answer the same run
    /// instead of starting a second. The server answers 400 <c>validation_failed</c> when the input is not
    /// a JSON object, and 404 <c>not_found</c> for a workflow this agent cannot see.
    /// </summary>
    /// <param name="workflowId">The workflow (<c>wf_…</c>).</param>
    /// <param name="input">The run's input: any object that serializes to a JSON object; none sends no input (the server takes <c>{}</c>).</param>
    /// <param name="idempotencyKey">Makes the start safe to repeat across processes: a repeat with the same key answers the same run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workflow run's id, its agent run's id and its status, <c>running</c>.</returns>
    public Task<WorkflowRunStarted> RunWorkflowAsync(
        string workflowId,
        object? input = null,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        var key = idempotencyKey ?? Guid.NewGuid().ToString();
        var path = $"api/workflows/{Uri.EscapeDataString(workflowId)}/runs";
        return _transport.SendAsync<WorkflowRunStarted>(
            new ApiCall(HttpMethod.Post, path, RetryPolicy.Idempotent, new Wire.WorkflowRunBody(input), key), cancellationToken);
    }

    /// <summary>
    /// Reads a workflow run with its steps. With <paramref name="wait"/>, long-polls: the server answers once
    /// the run is no longer <c>running</c>, or with the run as it stands when the time is up.
    /// </summary>
    /// <param name="workflowRunId">The workflow run (<c>wfr_…</c>).</param>
    /// <param name="wait">How long the server may hold the request, 0 to 60 seconds, in whole seconds; none answers at once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run as it stands.</returns>
    public Task<WorkflowRun> GetWorkflowRunAsync(string workflowRunId, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var held = wait ?? TimeSpan.Zero;
        ArgumentOutOfRangeException.ThrowIfLessThan(held, TimeSpan.Zero, nameof(wait));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(held, LongPoll.Max, nameof(wait));
        return FetchWorkflowRunAsync(workflowRunId, held, cancellationToken);
    }

    /// <summary>
    /// Waits while the workflow run is <c>running</c>, with the server's long-poll (up to 60 s per request), for
    /// at most <paramref name="timeout"/>. Returns the run once it is not running, or, when the time is up, as it
    /// stands. <c>awaiting_approval</c> ends the wait too, although the run is not over: the waiting step's
    /// <see cref="WorkflowStep.ApprovalRequestId"/> says what it waits for. Wait for that with
    /// <see cref="WaitForApprovalAsync"/>, then call this again for the rest (while the approval is pending, this returns at once).
    /// </summary>
    /// <param name="workflowRunId">The workflow run (<c>wfr_…</c>).</param>
    /// <param name="timeout">How long to wait in total.</param>
    /// <param name="pollInterval">Pause between two long-polls; default 1 second.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The run, no longer running, or still running when the time is up (<see cref="WorkflowRun.IsRunning"/>).</returns>
    public Task<WorkflowRun> WaitForWorkflowRunAsync(
        string workflowRunId,
        TimeSpan timeout,
        TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default) =>
        LongPoll.UntilAsync(
            wait => FetchWorkflowRunAsync(workflowRunId, wait, cancellationToken),
            run => !run.IsRunning,
            timeout,
            pollInterval,
            cancellationToken);

    /// <summary>
    /// Cancels a workflow run. Retried on 429, 5xx and network errors: a run already settled answers 409
    /// <c>not_cancellable</c>, which is thrown; after a retry that 409 may mean an earlier attempt whose answer
    /// was lost did cancel the run.
    /// </summary>
    /// <param name="workflowRunId">The workflow run (<c>wfr_…</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run, <c>cancelled</c>.</returns>
    public Task<WorkflowRun> CancelWorkflowRunAsync(string workflowRunId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowRunId);
        var path = $"api/workflow-runs/{Uri.EscapeDataString(workflowRunId)}/cancel";
        return _transport.SendAsync<WorkflowRun>(new ApiCall(HttpMethod.Post, path, RetryPolicy.Idempotent), cancellationToken);
    }

    private Task<WorkflowRun> FetchWorkflowRunAsync(string workflowRunId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowRunId);
        var path = LongPoll.WithWait("api/workflow-runs/" + Uri.EscapeDataString(workflowRunId), wait);
        // As for approvals: the time the server holds the long-poll is not the time-out's to count.
        return _transport.SendAsync<WorkflowRun>(
            new ApiCall(HttpMethod.Get, path, RetryPolicy.Idempotent, ExtraTimeout: wait), cancellationToken);
    }
}
