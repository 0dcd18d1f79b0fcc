using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class TwilioLiveTests
{
    private static readonly object Queued = new { sid = "SM0123456789abcdef0123456789abcdef", status = "queued", to = "+14155550123" };

    [Fact]
    public async Task Send_posts_form_fields_with_sid_and_token_basic_auth()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Queued));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("sms.send", """{"to": "+14155550123", "body": "Code: 1234 & thanks"}""", Credentials.Twilio()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("queued", result.ResponsePayload!.Value.GetProperty("status").GetString());
        var request = fake.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{Credentials.TwilioSid}/Messages.json", request.Path);
        Assert.Equal((Credentials.TwilioSid, Credentials.TwilioToken), request.BasicAuth());
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal([new("To", "+14155550123"), new("From", "+15005550006"), new("Body", "Code: 1234 & thanks")], request.Form);
    }

    [Fact]
    public async Task The_payload_from_overrides_the_credential_number()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Queued));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("sms.send", """{"to": "+14155550123", "body": "x", "from": "+14155550999"}""", Credentials.Twilio()), default);

        Assert.Equal("+14155550999", fake.Single.FormValue("From"));
    }

    [Fact]
    public async Task Without_any_from_number_nothing_is_sent()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Queued));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("sms.send", """{"to": "+14155550123", "body": "x"}""", Credentials.Twilio(withFrom: false)), default);

        Assert.Equal(ConnectorErrorCodes.CredentialInvalid, result.Error!.ProviderCode);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Twilio_errors_carry_the_numeric_code_and_request_id()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(400,
            new { code = 21211, message = "The 'To' number +14155550100 is not a valid phone number.", more_info = "https://www.twilio.com/docs/errors/21211", status = 400 },
            new Dictionary<string, string> { ["Twilio-Request-Id"] = "RQ0123" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("sms.send", """{"to": "+14155550100", "body": "x"}""", Credentials.Twilio()), default);

        Assert.Equal(new ConnectorError("twilio refused the request with HTTP 400: The 'To' number +14155550100 is not a valid phone number.", 400, "21211", "RQ0123"), result.Error);
    }

    [Fact]
    public async Task A_failed_send_is_not_repeated()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(500, new { code = 20500, message = "Internal Server Error", status = 500 }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("sms.send", """{"to": "+14155550123", "body": "x"}""", Credentials.Twilio()), default);

        Assert.Equal(1, result.Attempts);
        Assert.Equal("20500", result.Error!.ProviderCode);
    }

    [Fact]
    public async Task An_account_sid_that_is_not_a_sid_is_refused()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Queued));
        using var runner = Runner(fake);
        var credential = Credentials.Make("twilio", ("accountSid", "AC../../Other"), ("authToken", Credentials.TwilioToken), ("fromNumber", "+15005550006"));

        var result = await runner.ExecuteLiveAsync(Request("sms.send", """{"to": "+14155550123", "body": "x"}""", credential), default);

        Assert.Equal(ConnectorErrorCodes.CredentialInvalid, result.Error!.ProviderCode);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Verify_fetches_the_account()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { sid = Credentials.TwilioSid, friendly_name = "Acme", status = "active" }));
        using var runner = Runner(fake);

        var verified = await runner.VerifyAsync(Credentials.Twilio(), default);

        Assert.Equal(new VerifyResult(true, "twilio accepted the credentials for Acme (status active)", 200), verified);
        Assert.Equal($"/2010-04-01/Accounts/{Credentials.TwilioSid}.json", fake.Single.Path);
        Assert.Equal("GET", fake.Single.Method);
    }
}
