using System.Diagnostics;
using System.Net.Http;
using Polly;
using Polly.Timeout;
using Portcullis.Connectors.Http;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Execution;

public class ResilienceTests
{
    private const string Lookup = """{"chargeId": "ch_1"}""";

    [Fact]
    public async Task Retry_after_as_an_http_date_is_honoured()
    {
        // The runner's clock is real here, so the date is a real instant two seconds ahead.
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? new FakeResponse(503, "{}", new Dictionary<string, string> { ["Retry-After"] = DateTimeOffset.UtcNow.AddSeconds(2).ToString("R") })
            : FakeResponse.Json(200, new { id = "ch_1" }));
        using var runner = Runner(fake, time: TimeProvider.System);
        var watch = Stopwatch.StartNew();

        var result = await runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe()), default);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited {watch.Elapsed}");
    }

    [Fact]
    public async Task A_long_retry_after_is_capped()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? new FakeResponse(429, "{}", new Dictionary<string, string> { ["Retry-After"] = "3600" })
            : FakeResponse.Json(200, new { id = "ch_1" }));
        using var runner = Runner(fake, o => o.MaxRetryAfter = TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        var result = await runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe()), default);

        Assert.True(result.Succeeded);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Client_errors_are_never_retried()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(400, new { error = new { type = "invalid_request_error", message = "bad" } }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe()), default);

        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Max_attempts_of_one_disables_retries()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(503, "{}"));
        using var runner = Runner(fake, o => o.MaxAttempts = 1);

        var result = await runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe()), default);

        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_propagates()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(200, "{}", Delay: TimeSpan.FromSeconds(10)));
        using var runner = Runner(fake);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe()), cts.Token));
    }

    [Fact]
    public async Task An_exhausted_credential_rate_limit_fails_fast_without_calling_the_provider()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { id = "ch_1" }));
        using var runner = Runner(fake, o => { o.RatePerSecondPerCredential = 1; o.RateLimitMaxWait = TimeSpan.FromMilliseconds(50); });

        var first = await runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe()), default);
        var second = await runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe()), default);
        var otherCredential = await runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe() with { CredentialId = "cred_other" }), default);

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal(ConnectorErrorCodes.RateLimited, second.Error!.ProviderCode);
        Assert.Equal("rate limit of 1 requests per second for this credential is exhausted; try again shortly", second.Error.Message);
        Assert.Equal(0, second.Attempts);
        Assert.True(otherCredential.Succeeded);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task A_briefly_exhausted_rate_limit_waits_for_the_next_token()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { id = "ch_1" }));
        using var runner = Runner(fake, o => { o.RatePerSecondPerCredential = 2; o.RateLimitMaxWait = TimeSpan.FromSeconds(3); });

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe()), default)));

        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public async Task An_oversized_answer_is_refused()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(200, $$"""{"pad": "{{new string('x', 5000)}}"}"""));
        using var runner = Runner(fake, o => o.MaxResponseBytes = 1024);

        var result = await runner.ExecuteLiveAsync(Request("charge.retrieve", Lookup, Credentials.Stripe()), default);

        Assert.Equal(ConnectorErrorCodes.InvalidResponse, result.Error!.ProviderCode);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public void Invalid_options_are_refused_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectorRunner(Client, new ConnectorOptions { MaxAttempts = 0 }, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectorRunner(Client, new ConnectorOptions { Timeout = TimeSpan.Zero }, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectorRunner(Client, new ConnectorOptions { RatePerSecondPerCredential = 0 }, TimeProvider.System));
    }

    public static TheoryData<string, bool, bool> RetryMatrix() => new()
    {
        { "429", false, true },
        { "429", true, true },
        { "500", true, true },
        { "500", false, false },
        { "501", true, false },
        { "404", true, false },
        { "timeout", true, true },
        { "timeout", false, false },
        { "connect", false, true },
        { "dns", false, true },
        { "response-ended", false, false },
        { "response-ended", true, true },
        { "cancelled", true, false },
    };

    [Theory]
    [MemberData(nameof(RetryMatrix))]
    public void Only_repeatable_calls_are_retried_after_they_may_have_arrived(string outcome, bool idempotent, bool retried)
    {
        var result = outcome switch
        {
            "timeout" => Outcome.FromException<ProviderResponse>(new TimeoutRejectedException()),
            "connect" => Outcome.FromException<ProviderResponse>(new HttpRequestException(HttpRequestError.ConnectionError)),
            "dns" => Outcome.FromException<ProviderResponse>(new HttpRequestException(HttpRequestError.NameResolutionError)),
            "response-ended" => Outcome.FromException<ProviderResponse>(new HttpRequestException(HttpRequestError.ResponseEnded)),
            "cancelled" => Outcome.FromException<ProviderResponse>(new OperationCanceledException()),
            _ => Outcome.FromResult(new ProviderResponse { Status = int.Parse(outcome, System.Globalization.CultureInfo.InvariantCulture), Headers = new HttpResponseMessage().Headers }),
        };

        Assert.Equal(retried, ProviderHttp.ShouldRetry(result, idempotent ? RetryMode.Idempotent : RetryMode.NotIdempotent));
    }
}
