using System.Text.Json;

namespace Portcullis.Client;

/// <summary>
/// Thrown for every non-2xx answer of the Portcullis API (after retries, where they apply).
/// Network failures and time-outs are <see cref="PortcullisConnectionException"/> instead.
/// </summary>
public class PortcullisException : Exception
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <summary>Creates the error for an answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="message">The problem's <c>detail</c>, or a description of the answer.</param>
    /// <param name="code">The problem's stable <c>code</c>.</param>
    /// <param name="requestId">The server's request id.</param>
    /// <param name="errors">For validation failures: each offending field with its messages.</param>
    /// <param name="retryAfter">How long the server asked to wait, from <c>Retry-After</c>.</param>
    /// <param name="problem">The whole problem-details body.</param>
    public PortcullisException(
        int status,
        string message,
        string? code = null,
        string? requestId = null,
        IReadOnlyDictionary<string, string[]>? errors = null,
        TimeSpan? retryAfter = null,
        JsonElement? problem = null)
        : base(message)
    {
        Status = status;
        Code = code;
        RequestId = requestId;
        Errors = errors ?? NoErrors;
        RetryAfter = retryAfter;
        Problem = problem;
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The problem's stable <c>code</c>, e.g. <c>validation_failed</c>; null when the body had none.</summary>
    public string? Code { get; }

    /// <summary>The server's request id, from the body or the <c>X-Request-Id</c> header; quote it in support requests.</summary>
    public string? RequestId { get; }

    /// <summary>For validation failures: each offending field (e.g. <c>payload.amount</c>) with its messages; empty otherwise.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>How long the server asked to wait before trying again, from the <c>Retry-After</c> header.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The whole problem-details body, e.g. its <c>billing</c> member on a 402; null when the body was not JSON.</summary>
    public JsonElement? Problem { get; }

    /// <summary>401: the agent key is missing, unknown or revoked (the server does not say which).</summary>
    public bool IsUnauthorized => Status == 401;

    /// <summary>Kept for compatibility: the same as <see cref="IsUnauthorized"/>, since a revoked key gets the same 401.</summary>
    public bool IsRevoked => IsUnauthorized;

    /// <summary>402: the workspace's billing is locked; <see cref="Problem"/> carries the recovery summary.</summary>
    public bool IsBillingLocked => Status == 402;

    /// <summary>429: too many requests for this key; see <see cref="RetryAfter"/>.</summary>
    public bool IsRateLimited => Status == 429;

    /// <summary>400: the request was malformed or a field was invalid; see <see cref="Errors"/>.</summary>
    public bool IsValidation => Status == 400;

    /// <summary>409: a reused sequence number or idempotency key, a run that has ended, an approval already decided.</summary>
    public bool IsConflict => Status == 409;
}
