using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Execution;

public class RunnerContractTests
{
    [Fact]
    public async Task A_missing_credential_fails_as_not_connected()
    {
        using var runner = new ConnectorRunner(Client, new ConnectorOptions(), new FixedTime());

        var result = await runner.ExecuteLiveAsync(Request("refund.create", """{"charge": "ch_1"}""", null), default);

        Assert.False(result.Succeeded);
        Assert.False(result.Simulated);
        Assert.Equal(new ConnectorError("no stripe credential is connected for this action", null, ConnectorErrorCodes.ConnectorNotConnected, null), result.Error);
        Assert.Equal(0, result.Attempts);
        Assert.Equal(FixedTime.Default, result.StartedAt);
        Assert.Equal(FixedTime.Default, result.CompletedAt);
    }

    [Fact]
    public async Task Custom_action_types_do_not_dispatch()
    {
        using var runner = new ConnectorRunner(Client, new ConnectorOptions(), new FixedTime());

        var result = await runner.ExecuteLiveAsync(new ConnectorRequest("act_1", "invoice.void", "stripe", Json("{}"), Credentials.Stripe()), default);

        Assert.Equal(ConnectorErrorCodes.UnsupportedAction, result.Error!.ProviderCode);
        Assert.Equal("`invoice.void` is not an action a built-in connector executes", result.Error.Message);
    }

    [Fact]
    public async Task An_action_sent_to_the_wrong_provider_is_refused()
    {
        using var runner = new ConnectorRunner(Client, new ConnectorOptions(), new FixedTime());

        var result = await runner.ExecuteLiveAsync(new ConnectorRequest("act_1", "refund.create", "gmail", Json("""{"charge": "ch_1"}"""), Credentials.Stripe()), default);

        Assert.Equal(ConnectorErrorCodes.UnsupportedAction, result.Error!.ProviderCode);
    }

    [Fact]
    public async Task A_credential_of_another_provider_is_refused_before_any_call()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(200, "{}"));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.create", """{"charge": "ch_1"}""", Credentials.Slack()), default);

        Assert.Equal(new ConnectorError("the linked credential is for slack, not stripe", null, ConnectorErrorCodes.CredentialInvalid, null), result.Error);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task An_invalid_payload_lists_every_field_and_sends_nothing()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(200, "{}"));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.create", """{"amount": -1, "reason": "x"}""", Credentials.Stripe()), default);

        Assert.Equal(ConnectorErrorCodes.InvalidPayload, result.Error!.ProviderCode);
        Assert.Equal("invalid payload: payload.charge one of `charge` or `payment_intent` is required; payload.amount must be a positive integer; "
            + "payload.reason must be one of `duplicate`, `fraudulent`, `requested_by_customer`", result.Error.Message);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_credential_missing_a_field_fails_cleanly()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(200, "{}"));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("refund.create", """{"charge": "ch_1"}""", Credentials.Make("stripe", ("apiKey", " "))), default);

        Assert.Equal(new ConnectorError("the stripe credential has no `apiKey`", null, ConnectorErrorCodes.CredentialInvalid, null), result.Error);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_refresher_that_throws_is_reported_without_its_message()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(401, new { error = new { code = 401, status = "UNAUTHENTICATED" } }));
        using var runner = Runner(fake, refresher: new ScriptedRefresher(_ => throw new InvalidOperationException($"db said {Credentials.GmailRefresh}")));

        var result = await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""", Credentials.Gmail()), default);

        Assert.Equal(new ConnectorError("refreshing the gmail authorization failed (InvalidOperationException); try again", 401, ConnectorErrorCodes.CredentialRefreshFailed, null), result.Error);
    }

    [Fact]
    public async Task Verify_of_an_unknown_provider_is_not_ok()
    {
        using var runner = new ConnectorRunner(Client, new ConnectorOptions(), new FixedTime());

        var verified = await runner.VerifyAsync(Credentials.Make("salesforce", ("token", "x")), default);

        Assert.Equal(new VerifyResult(false, "`salesforce` is not a known provider", null), verified);
    }

    [Fact]
    public async Task Verify_of_an_unreachable_provider_explains_why()
    {
        using var runner = new ConnectorRunner(Client, Options(ClosedPort()), new FixedTime());

        var verified = await runner.VerifyAsync(Credentials.Stripe(), default);

        Assert.False(verified.Ok);
        Assert.Null(verified.ProviderStatus);
        Assert.StartsWith("could not complete the request to stripe", verified.Message);
    }

    [Fact]
    public async Task Timestamps_come_from_the_time_provider()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { id = "ch_1" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("charge.retrieve", """{"chargeId": "ch_1"}""", Credentials.Stripe()), default);

        Assert.Equal(FixedTime.Default, result.StartedAt);
        Assert.Equal(FixedTime.Default, result.CompletedAt);
    }
}
