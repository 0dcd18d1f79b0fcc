using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

/// <summary><c>sms.send</c> through a Messaging Service instead of <c>from</c>, and <c>mediaUrl</c> for MMS.</summary>
public class TwilioServiceMediaTests
{
    private const string Service = "MG0123456789abcdef0123456789abcdef";
    private static readonly object Queued = new { sid = "SM0123456789abcdef0123456789abcdef", status = "accepted" };

    [Fact]
    public async Task A_messaging_service_replaces_from_in_the_form()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Queued));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("sms.send",
            $$"""{"to": "+14155550123", "body": "Your order shipped", "messagingServiceSid": "{{Service}}"}""", Credentials.Twilio()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("POST", fake.Single.Method);
        Assert.Equal($"/2010-04-01/Accounts/{Credentials.TwilioSid}/Messages.json", fake.Single.Path);
        Assert.Equal([new("To", "+14155550123"), new("MessagingServiceSid", Service), new("Body", "Your order shipped")], fake.Single.Form);
    }

    [Fact]
    public async Task Media_urls_are_one_media_url_field_each_after_the_body()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Queued));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("sms.send",
            """{"to": "+14155550123", "body": "Your receipt", "mediaUrl": ["https://cdn.example.com/r.png", "https://cdn.example.com/a.pdf?x=1&y=2"]}""",
            Credentials.Twilio()), default);

        Assert.Equal(
            [new("To", "+14155550123"), new("From", "+15005550006"), new("Body", "Your receipt"),
             new("MediaUrl", "https://cdn.example.com/r.png"), new("MediaUrl", "https://cdn.example.com/a.pdf?x=1&y=2")],
            fake.Single.Form);
        Assert.Contains("MediaUrl=https%3A%2F%2Fcdn.example.com%2Fa.pdf%3Fx%3D1%26y%3D2", fake.Single.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData($$"""{"to": "+14155550123", "body": "x", "from": "+15005550006", "messagingServiceSid": "{{Service}}"}""", "payload.messagingServiceSid must not be set together with `from`")]
    [InlineData("""{"to": "+14155550123", "body": "x", "messagingServiceSid": "PN0123456789abcdef0123456789abcdef"}""", "payload.messagingServiceSid must be a messaging service sid")]
    [InlineData("""{"to": "+14155550123", "body": "x", "mediaUrl": ["ftp://example.com/a.png"]}""", "payload.mediaUrl[0] must be an http or https url")]
    [InlineData("""{"to": "+14155550123", "body": "x", "mediaUrl": []}""", "payload.mediaUrl must not be empty")]
    public async Task Invalid_payloads_never_reach_twilio(string payload, string problem)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(201, Queued));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("sms.send", payload, Credentials.Twilio()), default);

        Assert.Equal(ConnectorErrorCodes.InvalidPayload, result.Error!.ProviderCode);
        Assert.Contains(problem, result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public void Demo_names_the_service_and_counts_the_media()
    {
        var result = ConnectorRunner.ExecuteDemo(Request("sms.send",
            $$"""{"to": "+14155550123", "body": "hi", "messagingServiceSid": "{{Service}}", "mediaUrl": ["https://cdn.example.com/r.png"]}""", null), new FixedTime());

        var message = result.ResponsePayload!.Value;
        Assert.Equal(Service, message.GetProperty("messaging_service_sid").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, message.GetProperty("from").ValueKind);
        Assert.Equal("1", message.GetProperty("num_media").GetString());
    }
}
