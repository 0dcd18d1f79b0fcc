using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Portcullis.Client.Http;

/// <summary>Sends calls with authentication, JSON, time-outs and retries; turns failures into typed errors.</summary>
internal sealed class ApiTransport
{
    /// <summary>The package version, e.g. <c>0.1.0</c>; sent in <c>User-Agent</c> and <c>X-Portcullis-Sdk</c>.</summary>
    public static readonly string SdkVersion = ReadVersion();

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly TimeSpan _timeout;
    private readonly int _maxRetries;

    public ApiTransport(HttpClient http, Uri baseUrl, string agentKey, TimeSpan timeout, int maxRetries)
    {
        _http = http;
        // A trailing slash makes relative paths append to a path prefix instead of replacing its last segment;
        // a query or fragment on the base URL has no meaning for the API and is dropped.
        var prefix = baseUrl.GetLeftPart(UriPartial.Path);
        _baseUrl = new Uri(prefix.EndsWith('/') ? prefix : prefix + "/");
        _authorization = new AuthenticationHeaderValue("Bearer", agentKey);
        _timeout = timeout;
        _maxRetries = maxRetries;
    }

    public async Task<T> SendAsync<T>(ApiCall call, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var mayRetry = attempt < _maxRetries;
            Answer answer;
            try
            {
                answer = await SendOnceAsync(call, cancellationToken);
            }
            catch (PortcullisConnectionException failure) when (mayRetry && RetriesFailure(call.Retry, failure))
            {
                await Task.Delay(RetryDelay.For(attempt, retryAfter: null) ?? TimeSpan.Zero, cancellationToken);
                continue;
            }

            if (answer.Status is >= 200 and < 300)
            {
                return Parse<T>(answer);
            }

            var error = ErrorReader.FromAnswer(answer.Status, answer.Headers, answer.Body);
            var delay = mayRetry && RetriesStatus(call.Retry, answer.Status) ? RetryDelay.For(attempt, error.RetryAfter) : null;
            if (delay is null)
            {
                throw error;
            }

            await Task.Delay(delay.Value, cancellationToken);
        }
    }

    private async Task<Answer> SendOnceAsync(ApiCall call, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(call);
        var timeout = _timeout + call.ExtraTimeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            // The time-out also covers reading the body: a server can stall half-way through it.
            var body = await response.Content.ReadAsStringAsync(timeoutSource.Token);
            return new Answer((int)response.StatusCode, response.Headers, body);
        }
        catch (OperationCanceledException canceled) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PortcullisTimeoutException($"no answer to {call.Method} {call.Path} within {timeout.TotalSeconds:0.###} s", canceled);
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException)
        {
            throw new PortcullisConnectionException($"{call.Method} {call.Path} failed: {failure.Message}", failure);
        }
    }

    private HttpRequestMessage BuildRequest(ApiCall call)
    {
        var request = new HttpRequestMessage(call.Method, new Uri(_baseUrl, call.Path));
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("portcullis-sdk-dotnet", SdkVersion));
        request.Headers.Add("X-Portcullis-Sdk", $"dotnet/{SdkVersion}");
        if (call.IdempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", call.IdempotencyKey);
        }

        if (call.Body is not null)
        {
            var json = JsonSerializer.Serialize(call.Body, call.Body.GetType(), PortcullisJson.Options);
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static T Parse<T>(Answer answer)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(answer.Body, PortcullisJson.Options)
                ?? throw new JsonException("the body is null");
        }
        catch (JsonException invalid)
        {
            // A 2xx the SDK cannot read (a proxy's HTML page, a truncated body) must not pass as a result.
            throw new PortcullisException(
                answer.Status,
                $"the server answered {answer.Status} with a body the SDK cannot read: {invalid.Message}",
                "invalid_response",
                ErrorReader.RequestId(answer.Headers));
        }
    }

    private static bool RetriesStatus(RetryPolicy policy, int status) =>
        status == 429 || (policy == RetryPolicy.Idempotent && status >= 500);

    private static bool RetriesFailure(RetryPolicy policy, PortcullisConnectionException failure) =>
        policy == RetryPolicy.Idempotent || IsConnectionRefused(failure);

    /// <summary>A refused connection means the request never reached a server.</summary>
    private static bool IsConnectionRefused(PortcullisConnectionException failure)
    {
        if (failure is PortcullisTimeoutException)
        {
            return false;
        }

        for (var inner = failure.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }

    private static string ReadVersion()
    {
        var informational = typeof(ApiTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The build appends "+<commit>"; the header carries the package version only.
        return informational?.Split('+')[0] ?? "0.0.0";
    }

    private sealed record Answer(int Status, HttpResponseHeaders Headers, string Body);
}
