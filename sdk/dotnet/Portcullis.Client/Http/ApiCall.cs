namespace Portcullis.Client.Http;

/// <summary>When a failed attempt may be repeated.</summary>
internal enum RetryPolicy
{
    /// <summary>On 429, 5xx, network errors and time-outs: repeating cannot apply the call twice.</summary>
    Idempotent,

    /// <summary>Only when the server certainly did not act: a 429, or a refused connection.</summary>
    NotSent,
}

/// <summary>One API call, before retries.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Path">Path and query, starting with <c>api/</c> (relative to the base URL).</param>
/// <param name="Retry">When a failed attempt may be repeated.</param>
/// <param name="Body">Serialized as the JSON body.</param>
/// <param name="IdempotencyKey">Sent as the <c>Idempotency-Key</c> header.</param>
/// <param name="ExtraTimeout">Added to the client's time-out, e.g. the time a long-poll is held.</param>
internal sealed record ApiCall(
    HttpMethod Method,
    string Path,
    RetryPolicy Retry,
    object? Body = null,
    string? IdempotencyKey = null,
    TimeSpan ExtraTimeout = default);
