using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class StripeLiveTests
{
    private static readonly object Refund = new { id = "re_3NxTest", @object = "refund", amount = 1500, status = "succeeded", charge = "ch_3NxTest" };

    [Fact]
    public async Task Refund_is_form_encoded_with_bearer_key_nested_metadata_and_idempotency_key()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Refund, new Dictionary<string, string> { ["Request-Id"] = "req_ok" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.create",
            """{"charge": "ch_3NxTest", "amount": 1500, "reason": "requested_by_customer", "metadata": {"order_id": "A-17", "note": "late & damaged"}}""",
            Credentials.Stripe(), "act_refund_1"), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.False(result.Simulated);
        Assert.Equal(1, result.Attempts);
        Assert.Equal("re_3NxTest", result.ResponsePayload!.Value.GetProperty("id").GetString());
        var request = fake.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/refunds", request.Path);
        Assert.Equal($"Bearer {Credentials.StripeKey}", request.Header("Authorization"));
        Assert.Equal("portcullis-act_refund_1", request.Header("Idempotency-Key"));
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(
            [new("charge", "ch_3NxTest"), new("amount", "1500"), new("reason", "requested_by_customer"), new("metadata[order_id]", "A-17"), new("metadata[note]", "late & damaged")],
            request.Form);
        Assert.Contains("metadata%5Border_id%5D=A-17", request.BodyText);
    }

    [Fact]
    public async Task Refund_by_payment_intent_sends_only_the_given_fields()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Refund));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("refund.create", """{"payment_intent": "pi_123"}""", Credentials.Stripe()), default);

        Assert.Equal([new("payment_intent", "pi_123")], fake.Single.Form);
    }

    [Theory]
    [InlineData("charge.retrieve", """{"chargeId": "ch_1/../x"}""", "/v1/charges/ch_1%2F..%2Fx")]
    [InlineData("customer.retrieve", """{"customerId": "cus_9"}""", "/v1/customers/cus_9")]
    public async Task Lookups_are_gets_on_the_object_path(string actionType, string payload, string path)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { id = "x" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request(actionType, payload, Credentials.Stripe()), default);

        Assert.True(result.Succeeded);
        Assert.Equal("GET", fake.Single.Method);
        Assert.Equal(path, fake.Single.Path.Replace("%2f", "%2F", StringComparison.Ordinal));
        Assert.Empty(fake.Single.Body);
        Assert.Null(fake.Single.Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Stripe_errors_carry_status_code_and_request_id()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(404,
            new { error = new { type = "invalid_request_error", code = "resource_missing", message = "No such charge: 'ch_nope'", param = "id" } },
            new Dictionary<string, string> { ["Request-Id"] = "req_9XyZ" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("charge.retrieve", """{"chargeId": "ch_nope"}""", Credentials.Stripe()), default);

        Assert.False(result.Succeeded);
        Assert.Equal(new ConnectorError("stripe refused the request with HTTP 404: No such charge: 'ch_nope'", 404, "resource_missing", "req_9XyZ"), result.Error);
        Assert.Equal("resource_missing", result.ResponsePayload!.Value.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Error_without_code_falls_back_to_the_error_type()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(402, new { error = new { type = "card_error", message = "declined" } }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.create", """{"charge": "ch_1"}""", Credentials.Stripe()), default);

        Assert.Equal("card_error", result.Error!.ProviderCode);
        Assert.Equal(402, result.Error.ProviderStatus);
    }

    [Fact]
    public async Task Rate_limited_refund_waits_for_retry_after_and_reuses_the_idempotency_key()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? FakeResponse.Json(429, new { error = new { type = "invalid_request_error", code = "rate_limit", message = "Too many requests" } },
                new Dictionary<string, string> { ["Retry-After"] = "1" })
            : FakeResponse.Json(200, Refund));
        using var runner = Runner(fake);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await runner.ExecuteLiveAsync(Request("refund.create", """{"charge": "ch_1"}""", Credentials.Stripe(), "act_retry"), default);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited {watch.Elapsed}");
        Assert.All(fake.Requests, r => Assert.Equal("portcullis-act_retry", r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Server_errors_on_a_refund_are_retried_because_the_idempotency_key_makes_it_safe()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i < 2
            ? FakeResponse.Json(500, new { error = new { type = "api_error", message = "boom" } })
            : FakeResponse.Json(200, Refund));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.create", """{"charge": "ch_1"}""", Credentials.Stripe()), default);

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.Attempts);
        Assert.Single(fake.Requests.Select(r => r.Header("Idempotency-Key")).Distinct());
    }

    [Fact]
    public async Task Persistent_server_errors_fail_after_max_attempts()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(503, new { error = new { type = "api_error", message = "unavailable" } }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("customer.retrieve", """{"customerId": "cus_1"}""", Credentials.Stripe()), default);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(503, result.Error!.ProviderStatus);
        Assert.Equal("api_error", result.Error.ProviderCode);
        Assert.StartsWith("stripe failed with HTTP 503", result.Error.Message);
    }

    [Fact]
    public async Task Slow_lookups_time_out_per_attempt_and_are_retried()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(200, "{}", Delay: TimeSpan.FromSeconds(5)));
        using var runner = Runner(fake, o => o.Timeout = TimeSpan.FromMilliseconds(250));

        var result = await runner.ExecuteLiveAsync(Request("charge.retrieve", """{"chargeId": "ch_1"}""", Credentials.Stripe()), default);

        Assert.False(result.Succeeded);
        Assert.Equal(ConnectorErrorCodes.Timeout, result.Error!.ProviderCode);
        Assert.Equal("stripe did not answer within 0.25 s (3 attempts)", result.Error.Message);
        Assert.Equal(3, result.Attempts);
        Assert.Null(result.Error.ProviderStatus);
    }

    [Fact]
    public async Task Verify_reads_the_balance()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { @object = "balance", livemode = false, available = Array.Empty<object>() }));
        using var runner = Runner(fake);

        var verified = await runner.VerifyAsync(Credentials.Stripe(), default);

        Assert.Equal(new VerifyResult(true, "stripe accepted the api key (test mode)", 200), verified);
        Assert.Equal("GET", fake.Single.Method);
        Assert.Equal("/v1/balance", fake.Single.Path);
        Assert.Equal($"Bearer {Credentials.StripeKey}", fake.Single.Header("Authorization"));
    }

    [Fact]
    public async Task Verify_reports_a_rejected_key()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(401,
            new { error = new { type = "invalid_request_error", message = "Invalid API Key provided: sk_test_********************4242" } }));
        using var runner = Runner(fake);

        var verified = await runner.VerifyAsync(Credentials.Stripe(), default);

        Assert.False(verified.Ok);
        Assert.Equal(401, verified.ProviderStatus);
        Assert.Contains("Invalid API Key provided", verified.Message);
    }
}
