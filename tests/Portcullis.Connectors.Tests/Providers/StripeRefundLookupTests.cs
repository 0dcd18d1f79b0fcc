using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

/// <summary><c>refund.retrieve</c>, <c>refund.list</c> and the connected account every Stripe action may name.</summary>
public class StripeRefundLookupTests
{
    private static readonly object Page = new { @object = "list", data = new[] { new { id = "re_2", @object = "refund" } }, has_more = true, url = "/v1/refunds" };

    [Fact]
    public async Task Refund_retrieve_gets_the_refund_path()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { id = "re_1", @object = "refund" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.retrieve", """{"refundId": "re_1/x"}""", Credentials.Stripe()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("GET", fake.Single.Method);
        Assert.Equal("/v1/refunds/re_1%2Fx", fake.Single.Path.Replace("%2f", "%2F", StringComparison.Ordinal));
        Assert.Equal("", fake.Single.Query);
        Assert.Equal($"Bearer {Credentials.StripeKey}", fake.Single.Header("Authorization"));
        Assert.Null(fake.Single.Header("Stripe-Account"));
        Assert.Null(fake.Single.Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Refund_list_by_charge_sends_filter_and_pagination_in_the_query()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Page));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.list",
            """{"charge": "ch_3Nx&1", "limit": 25, "starting_after": "re_1"}""", Credentials.Stripe()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.True(result.ResponsePayload!.Value.GetProperty("has_more").GetBoolean());
        Assert.Equal("GET", fake.Single.Method);
        Assert.Equal("/v1/refunds", fake.Single.Path);
        Assert.Equal("?charge=ch_3Nx%261&limit=25&starting_after=re_1", fake.Single.Query);
        Assert.Empty(fake.Single.Body);
    }

    [Fact]
    public async Task Refund_list_by_payment_intent_sends_only_that_filter()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Page));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("refund.list", """{"payment_intent": "pi_9"}""", Credentials.Stripe()), default);

        Assert.Equal("?payment_intent=pi_9", fake.Single.Query);
    }

    [Theory]
    [InlineData("""{"limit": 5}""", "payload.charge one of `charge` or `payment_intent` is required")]
    [InlineData("""{"charge": "ch_1", "payment_intent": "pi_1"}""", "payload.payment_intent must not be set together with `charge`")]
    [InlineData("""{"charge": "ch_1", "limit": 101}""", "payload.limit must be at most 100")]
    [InlineData("""{"charge": "ch_1", "limit": 0}""", "payload.limit must be a positive integer")]
    [InlineData("""{"charge": "ch_1", "stripeAccount": "cus_1"}""", "payload.stripeAccount must be a connected account id (`acct_…`)")]
    public async Task Invalid_list_payloads_never_reach_stripe(string payload, string problem)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Page));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.list", payload, Credentials.Stripe()), default);

        Assert.False(result.Succeeded);
        Assert.Equal(ConnectorErrorCodes.InvalidPayload, result.Error!.ProviderCode);
        Assert.Contains(problem, result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Theory]
    [InlineData("refund.create", """{"charge": "ch_1", "stripeAccount": "acct_1Connected"}""")]
    [InlineData("refund.retrieve", """{"refundId": "re_1", "stripeAccount": "acct_1Connected"}""")]
    [InlineData("refund.list", """{"charge": "ch_1", "stripeAccount": "acct_1Connected"}""")]
    [InlineData("charge.retrieve", """{"chargeId": "ch_1", "stripeAccount": "acct_1Connected"}""")]
    [InlineData("customer.retrieve", """{"customerId": "cus_1", "stripeAccount": "acct_1Connected"}""")]
    public async Task A_connected_account_is_the_stripe_account_header_and_never_a_parameter(string actionType, string payload)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { id = "x" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request(actionType, payload, Credentials.Stripe()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("acct_1Connected", fake.Single.Header("Stripe-Account"));
        Assert.NotNull(fake.Single.Header("Stripe-Version"));
        Assert.DoesNotContain("acct_", fake.Single.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("acct_", fake.Single.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_list_is_a_stripe_list_of_refunds_of_the_requested_payment_intent()
    {
        var result = ConnectorRunner.ExecuteDemo(Request("refund.list", """{"payment_intent": "pi_Demo", "limit": 1}""", null), new FixedTime());

        var page = result.ResponsePayload!.Value;
        Assert.True(result.Simulated);
        Assert.Equal("list", page.GetProperty("object").GetString());
        Assert.False(page.GetProperty("has_more").GetBoolean());
        var refund = Assert.Single(page.GetProperty("data").EnumerateArray());
        Assert.Matches("^re_[A-Za-z0-9]{24}$", refund.GetProperty("id").GetString());
        Assert.Equal("pi_Demo", refund.GetProperty("payment_intent").GetString());
    }

    [Fact]
    public void Demo_retrieve_echoes_the_refund_id()
    {
        var result = ConnectorRunner.ExecuteDemo(Request("refund.retrieve", """{"refundId": "re_Demo"}""", null), new FixedTime());

        Assert.Equal("re_Demo", result.ResponsePayload!.Value.GetProperty("id").GetString());
        Assert.Equal("refund", result.ResponsePayload!.Value.GetProperty("object").GetString());
    }
}
