using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class StripeRetryTests
{
    private const string RefundPayload = """{"charge": "ch_3NxTest", "amount": 1500}""";
    private static readonly object Refund = new { id = "re_3NxTest", @object = "refund", amount = 1500, status = "succeeded" };

    [Fact]
    public async Task Every_call_pins_the_default_stripe_version()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Refund));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("refund.create", RefundPayload, Credentials.Stripe()), default);
        await runner.ExecuteLiveAsync(Request("charge.retrieve", """{"chargeId": "ch_1"}""", Credentials.Stripe()), default);
        await runner.VerifyAsync(Credentials.Stripe(), default);

        Assert.Equal(3, fake.Requests.Count);
        Assert.All(fake.Requests, r => Assert.Equal("2025-03-31.basil", r.Header("Stripe-Version")));
    }

    [Fact]
    public async Task The_stripe_version_is_configurable()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Refund));
        using var runner = Runner(fake, o => o.StripeApiVersion = "2024-06-20");

        await runner.ExecuteLiveAsync(Request("refund.create", RefundPayload, Credentials.Stripe()), default);

        Assert.Equal("2024-06-20", fake.Single.Header("Stripe-Version"));
    }

    [Fact]
    public async Task An_idempotency_lock_conflict_is_retried_with_the_same_key()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? FakeResponse.Json(409, new { error = new { type = "invalid_request_error", code = "idempotency_key_in_use", message = "There is currently another in-progress request using this Idempotent Key." } })
            : FakeResponse.Json(200, Refund));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.create", RefundPayload, Credentials.Stripe(), "act_lock"), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(2, result.Attempts);
        Assert.All(fake.Requests, r => Assert.Equal("portcullis-act_lock", r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Stripe_should_retry_false_stops_a_retry_the_generic_rule_would_make()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(500,
            new { error = new { type = "api_error", message = "the refund already failed" } },
            new Dictionary<string, string> { ["Stripe-Should-Retry"] = "false" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.create", RefundPayload, Credentials.Stripe()), default);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Stripe_should_retry_true_retries_an_answer_the_generic_rule_would_not()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? FakeResponse.Json(400, new { error = new { type = "invalid_request_error", code = "lock_timeout", message = "This object cannot be accessed right now" } },
                new Dictionary<string, string> { ["Stripe-Should-Retry"] = "true" })
            : FakeResponse.Json(200, Refund));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.create", RefundPayload, Credentials.Stripe()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(2, result.Attempts);
    }
}
