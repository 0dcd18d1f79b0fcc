using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Portcullis.Connectors.Security;

namespace Portcullis.Connectors.Http;

/// <summary>Raised when a provider's answer is larger than <see cref="ConnectorOptions.MaxResponseBytes"/>.</summary>
internal sealed class ResponseTooLargeException() : Exception("the provider's response is too large");

/// <summary>What happened to one provider call after all its attempts.</summary>
internal sealed record SendResult(ProviderResponse? Response, string? ErrorCode, string? ErrorMessage, int Attempts)
{
    public static SendResult Failed(string code, string message, int attempts) => new(null, code, message, attempts);
}

/// <summary>
/// Sends provider calls through one typed Polly pipeline: a time-out per attempt inside bounded,
/// jittered exponential retries that honour Retry-After. What may be retried depends on the call:
/// see <see cref="ShouldRetry(Outcome{ProviderResponse}, ProviderCall)"/>.
/// </summary>
internal sealed class ProviderHttp : IDisposable
{
    private static readonly ResiliencePropertyKey<ProviderCall> CallKey = new("portcullis.call");
    private static readonly ResiliencePropertyKey<StrongBox<int>> AttemptsKey = new("portcullis.attempts");

    private readonly HttpClient _http;
    private readonly HttpClient _supplied;
    private readonly ConnectorOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<ProviderResponse> _pipeline;
    private readonly CredentialRateLimiter _limiter;

    // `supplied` serves calls to supplied URLs (ProviderCall.SuppliedTarget): its connections go through the outbound guard.
    public ProviderHttp(HttpClient http, ConnectorOptions options, TimeProvider time, HttpClient? supplied = null)
    {
        _http = http;
        _supplied = supplied ?? http;
        _options = options;
        _time = time;
        _limiter = new CredentialRateLimiter(options.RatePerSecondPerCredential, options.RateLimitMaxWait);
        var builder = new ResiliencePipelineBuilder<ProviderResponse> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<ProviderResponse>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryAfter,
                ShouldHandle = args => ValueTask.FromResult(args.Context.Properties.TryGetValue(CallKey, out var call) && ShouldRetry(args.Outcome, call)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result?.RetryAfter is { } wait ? (TimeSpan?)(wait > options.MaxRetryAfter ? options.MaxRetryAfter : wait) : null),
            });
        }

        _pipeline = builder.AddTimeout(options.Timeout).Build();
    }

    /// <summary>
    /// INVARIANT: a call that may have reached the provider is sent again only when repeating it cannot
    /// act twice. 429 is retried for every call because providers document it as "not processed, come back
    /// after Retry-After"; 5xx, time-outs and broken connections only for idempotent calls; a connection
    /// that was never established, for every call.
    /// </summary>
    internal static bool ShouldRetry(Outcome<ProviderResponse> outcome, RetryMode mode) => outcome switch
    {
        // A guard refusal is a decision, not a hiccup: the same address would be refused again.
        { Exception: { } e } when OutboundRefusedException.IsRefusal(e) => false,
        { Exception: HttpRequestException e } => mode == RetryMode.Idempotent || NeverReachedServer(e),
        { Exception: TimeoutRejectedException } => mode == RetryMode.Idempotent,
        { Exception: not null } => false,
        { Result.Status: 429 } => true,
        { Result.Status: >= 500 and not 501 } => mode == RetryMode.Idempotent,
        _ => false,
    };

    /// <summary>
    /// The generic rule, unless the provider advises otherwise. A provider's "retry" is trusted only for
    /// idempotent calls: INVARIANT above still holds for calls that could act twice.
    /// </summary>
    internal static bool ShouldRetry(Outcome<ProviderResponse> outcome, ProviderCall call) =>
        outcome.Result is { } response && call.RetryAdvice?.Invoke(response) is { } advice
            ? advice && (call.Retry == RetryMode.Idempotent || response.Status == 429)
            : ShouldRetry(outcome, call.Retry);

    private static bool NeverReachedServer(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;

    /// <summary>Sends a call (one rate-limit token, then up to MaxAttempts HTTP attempts).</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    public async Task<SendResult> SendAsync(ProviderCall call, string provider, string credentialId, CancellationToken ct)
    {
        try
        {
            await _limiter.AcquireAsync(credentialId, ct);
        }
        catch (RateLimitExceededException)
        {
            return SendResult.Failed(ConnectorErrorCodes.RateLimited,
                $"rate limit of {_options.RatePerSecondPerCredential} requests per second for this credential is exhausted; try again shortly", 0);
        }

        var attempts = new StrongBox<int>();
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(CallKey, call);
        context.Properties.Set(AttemptsKey, attempts);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) => await state.self.AttemptAsync(state.call, ctx),
                context,
                (self: this, call));
            return Interpret(outcome, provider, attempts.Value, ct);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private SendResult Interpret(Outcome<ProviderResponse> outcome, string provider, int attempts, CancellationToken ct)
    {
        if (outcome.Result is { } response)
        {
            return new SendResult(response, null, null, attempts);
        }

        // SECURITY: exception messages can carry URLs and echoed data; only our own wording goes out.
        return outcome.Exception switch
        {
            OperationCanceledException when ct.IsCancellationRequested => throw new OperationCanceledException(ct),
            // A cancellation the caller did not ask for is a time-out too: the HttpClient's own Timeout.
            TimeoutRejectedException or OperationCanceledException => SendResult.Failed(ConnectorErrorCodes.Timeout,
                $"{provider} did not answer within {_options.Timeout.TotalSeconds:0.###} s ({Plural(attempts, "attempt")})", attempts),
            HttpRequestException e when OutboundRefusedException.IsRefusal(e) => SendResult.Failed(ConnectorErrorCodes.UrlNotAllowed,
                $"the {provider} URL resolves to an internal address; an operator can allow it in Portcullis:Network:AllowedTargets", attempts),
            HttpRequestException e => SendResult.Failed(ConnectorErrorCodes.NetworkError,
                $"could not complete the request to {provider}: {Describe(e.HttpRequestError)} ({Plural(attempts, "attempt")})", attempts),
            ResponseTooLargeException => SendResult.Failed(ConnectorErrorCodes.InvalidResponse,
                $"{provider} answered with more than {_options.MaxResponseBytes} bytes", attempts),
            var e => SendResult.Failed(ConnectorErrorCodes.NetworkError,
                $"the request to {provider} failed ({e?.GetType().Name ?? "unknown error"})", attempts),
        };
    }

    private async ValueTask<Outcome<ProviderResponse>> AttemptAsync(ProviderCall call, ResilienceContext context)
    {
        context.Properties.GetValue(AttemptsKey, new StrongBox<int>()).Value++;
        try
        {
            using var request = call.CreateMessage();
            var client = call.SuppliedTarget ? _supplied : _http;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
            var body = await ReadBodyAsync(response.Content, context.CancellationToken);
            return Outcome.FromResult(ToProviderResponse(response, body));
        }
        catch (Exception e)
        {
            // The pipeline classifies exceptions (time-out, connection, cancellation); the callback must not throw.
            return Outcome.FromException<ProviderResponse>(e);
        }
    }

    private ProviderResponse ToProviderResponse(HttpResponseMessage response, byte[] body)
    {
        JsonElement? json = null;
        string? text = null;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                var decoded = Encoding.UTF8.GetString(body);
                text = decoded.Length > 500 ? decoded[..500] : decoded;
            }
        }

        return new ProviderResponse
        {
            Status = (int)response.StatusCode,
            Headers = response.Headers,
            Json = json,
            Text = text,
            RetryAfter = RetryAfter.Read(response.Headers, _time.GetUtcNow()),
        };
    }

    private async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > _options.MaxResponseBytes)
            {
                throw new ResponseTooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "the host name could not be resolved",
        HttpRequestError.ConnectionError => "the connection could not be established",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ResponseEnded => "the connection closed before the answer was complete",
        _ => "the connection failed",
    };

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public void Dispose() => _limiter.Dispose();
}
