using Portcullis.Client.Http;

namespace Portcullis.Client;

/// <summary>
/// The Portcullis agent client: open a run, log its events, request governed actions, wait for
/// approvals and end the run. Every call authenticates with the agent key. Thread-safe; keep one.
/// </summary>
public sealed partial class PortcullisClient : IDisposable
{
    private readonly ApiTransport _transport;
    private readonly HttpClient? _ownedHttp;

    /// <summary>Creates a client with an <see cref="HttpClient"/> of its own, disposed with the client.</summary>
    /// <param name="baseUrl">The Portcullis host, e.g. <c>https://portcullis.example.com</c>.</param>
    /// <param name="agentKey">The agent's API key (<c>pk_live_…</c>).</param>
    /// <param name="options">Time-out and retries; its <c>BaseUrl</c> and <c>AgentKey</c> are ignored.</param>
    public PortcullisClient(Uri baseUrl, string agentKey, PortcullisClientOptions? options = null)
    {
        _ownedHttp = new HttpClient(PortcullisHttp.CreateHandler())
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        var settings = options ?? new PortcullisClientOptions();
        _transport = CreateTransport(_ownedHttp, baseUrl, agentKey, settings);
    }

    /// <summary>
    /// Creates a client on an <see cref="HttpClient"/> you manage, e.g. one from <c>IHttpClientFactory</c>;
    /// the client never disposes it. The per-attempt time-out is the options', so leave
    /// <see cref="HttpClient.Timeout"/> longer than it.
    /// </summary>
    /// <param name="httpClient">The HTTP client to send with.</param>
    /// <param name="options">Base URL (or the HTTP client's <c>BaseAddress</c>), agent key, time-out and retries.</param>
    public PortcullisClient(HttpClient httpClient, PortcullisClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        var baseUrl = options.BaseUrl ?? httpClient.BaseAddress
            ?? throw new ArgumentException("BaseUrl is required", nameof(options));
        _transport = CreateTransport(httpClient, baseUrl, options.AgentKey!, options);
    }

    /// <summary>
    /// Opens a run. Not idempotent (a repeat would open a second run), so it is retried only when the
    /// server certainly did not act: a 429, or a refused connection.
    /// </summary>
    /// <param name="request">The trigger and correlation fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new run's id and status.</returns>
    public Task<RunStarted> StartRunAsync(StartRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _transport.SendAsync<RunStarted>(
            new ApiCall(HttpMethod.Post, "api/ingest/run-start", RetryPolicy.NotSent, request), cancellationToken);
    }

    /// <summary>
    /// Records events on the run's timeline. Retried freely: re-sending an identical event is a no-op,
    /// counted in <see cref="LogEventsResult.Duplicates"/>.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="events">1 to 500 events with strictly increasing sequence numbers, from 2.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many events were new and how many were re-sends.</returns>
    public Task<LogEventsResult> LogEventsAsync(string runId, IEnumerable<RunEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(events);
        var body = new Wire.EventsBody(runId, [.. events.Select(Wire.EventBody.From)]);
        return _transport.SendAsync<LogEventsResult>(
            new ApiCall(HttpMethod.Post, "api/ingest/events", RetryPolicy.Idempotent, body), cancellationToken);
    }

    /// <summary>
    /// Asks the policy engine for permission and, when allowed, executes the action through its connector.
    /// Always sent with an idempotency key (generated when the request has none) in the body and the
    /// <c>Idempotency-Key</c> header, so retries can never execute the action twice.
    /// </summary>
    /// <param name="request">The action and its arguments.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="Allowed"/>, <see cref="ApprovalRequired"/> or <see cref="Blocked"/>.</returns>
    public async Task<ActionResult> RequestActionAsync(ActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.IdempotencyKey ?? Guid.NewGuid().ToString();
        var body = new Wire.ActionBody(
            request.RunId, request.ActionType, request.Provider, request.ResourceType, request.ResourceId,
            request.Payload, request.Evidence, key, request.CallbackUrl);
        var answer = await _transport.SendAsync<Wire.ActionAnswer>(
            new ApiCall(HttpMethod.Post, "api/actions/request", RetryPolicy.Idempotent, body, key), cancellationToken);
        return ActionAnswers.ToResult(answer);
    }

    /// <summary>
    /// Asks before acting: the decision <see cref="RequestActionAsync"/> would get for this request now, with nothing
    /// recorded and nothing executed. Safe to repeat, so retried on 429, 5xx and network errors. No idempotency key is
    /// made up; one the request carries and that was already used answers the first request's decision.
    /// </summary>
    /// <param name="request">The action and its arguments, as for <see cref="RequestActionAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision, its reason and the matching policies.</returns>
    public async Task<CheckResult> CheckActionAsync(ActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new Wire.ActionBody(
            request.RunId, request.ActionType, request.Provider, request.ResourceType, request.ResourceId,
            request.Payload, request.Evidence, request.IdempotencyKey, request.CallbackUrl);
        var answer = await _transport.SendAsync<Wire.ActionAnswer>(
            new ApiCall(HttpMethod.Post, "api/actions/check", RetryPolicy.Idempotent, body), cancellationToken);
        return ActionAnswers.ToCheck(answer);
    }

    /// <summary>
    /// Ends the run with a final status. Retried on 429, 5xx and network errors: the server ends a run
    /// once and answers any later attempt with 409 <c>run_ended</c>, which is thrown; after a retry that
    /// 409 usually means an earlier attempt whose answer was lost did end the run.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="status">The final status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ended run.</returns>
    public Task<Run> EndRunAsync(string runId, RunEndStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return _transport.SendAsync<Run>(
            new ApiCall(HttpMethod.Post, "api/ingest/run-end", RetryPolicy.Idempotent, new Wire.EndRunBody(runId, status)),
            cancellationToken);
    }

    /// <summary>Reads an approval request and, once approved and executed, its execution.</summary>
    /// <param name="approvalRequestId">The approval (<c>apr_…</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approval as it stands.</returns>
    public Task<Approval> GetApprovalAsync(string approvalRequestId, CancellationToken cancellationToken = default) =>
        FetchApprovalAsync(approvalRequestId, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Waits until the approval is decided, with the server's long-poll (up to 60 s per request), for at
    /// most <paramref name="timeout"/>. Returns the decided approval, or, when the time is up, the approval
    /// as it stands, still pending: waiting out the time is an expected outcome, not an error, so check
    /// <see cref="Approval.IsPending"/>.
    /// </summary>
    /// <param name="approvalRequestId">The approval (<c>apr_…</c>).</param>
    /// <param name="timeout">How long to wait in total.</param>
    /// <param name="pollInterval">Pause between two long-polls; default 1 second.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The decided approval, or the pending one when the time is up.</returns>
    public Task<Approval> WaitForApprovalAsync(
        string approvalRequestId,
        TimeSpan timeout,
        TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default) =>
        LongPoll.UntilAsync(
            wait => FetchApprovalAsync(approvalRequestId, wait, cancellationToken),
            approval => !approval.IsPending,
            timeout,
            pollInterval,
            cancellationToken);

    /// <summary>Disposes the <see cref="HttpClient"/> the client created, if it created one.</summary>
    public void Dispose() => _ownedHttp?.Dispose();

    private Task<Approval> FetchApprovalAsync(string approvalRequestId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(approvalRequestId);
        var path = LongPoll.WithWait("api/approvals/" + Uri.EscapeDataString(approvalRequestId), wait);
        // The server holds a long-poll open for `wait`: that is not the time-out's to count.
        return _transport.SendAsync<Approval>(
            new ApiCall(HttpMethod.Get, path, RetryPolicy.Idempotent, ExtraTimeout: wait), cancellationToken);
    }

    private static ApiTransport CreateTransport(HttpClient http, Uri baseUrl, string agentKey, PortcullisClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(agentKey);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"BaseUrl must be an absolute http or https URL: `{baseUrl}`", nameof(baseUrl));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options.Timeout));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries, nameof(options.MaxRetries));
        return new ApiTransport(http, baseUrl, agentKey, options.Timeout, options.MaxRetries);
    }
}
