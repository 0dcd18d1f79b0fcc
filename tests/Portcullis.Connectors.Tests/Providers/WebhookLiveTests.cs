using System.Security.Cryptography;
using System.Text;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class WebhookLiveTests
{
    [Fact]
    public async Task Request_goes_under_the_base_url_with_body_headers_bearer_and_a_verifiable_signature()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(202, new { accepted = true }));
        using var runner = Runner(fake);
        var credential = Credentials.Webhook(new Uri(fake.BaseUrl, "/hooks/portcullis/"));

        var result = await runner.ExecuteLiveAsync(Request("http.request",
            """{"path": "/orders/42?notify=1", "method": "PATCH", "body": {"status": "refunded"}, "headers": {"X-Trace": "t-1"}}""", credential, "act_hook_1"), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(202, result.ResponsePayload!.Value.GetProperty("status").GetInt32());
        Assert.True(result.ResponsePayload.Value.GetProperty("body").GetProperty("accepted").GetBoolean());
        var request = fake.Single;
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/hooks/portcullis/orders/42", request.Path);
        Assert.Equal("?notify=1", request.Query);
        Assert.Equal("""{"status": "refunded"}""", request.BodyText);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal("t-1", request.Header("X-Trace"));
        Assert.Equal($"Bearer {Credentials.WebhookBearer}", request.Header("Authorization"));
        Assert.Equal("portcullis-act_hook_1", request.Header("Idempotency-Key"));

        var signature = request.Header("X-Portcullis-Signature")!;
        var t = signature.Split(',')[0]["t=".Length..];
        Assert.Equal(FixedTime.Default.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), t);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Credentials.WebhookSigning),
            Encoding.UTF8.GetBytes($"{t}.PATCH.{request.Path}{request.Query}.{request.BodyText}"));
        Assert.Equal($"t={t},v1={Convert.ToHexStringLower(expected)}", signature);
    }

    [Fact]
    public async Task Without_optional_secrets_there_is_no_authorization_or_signature_and_post_is_the_default()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(204));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("http.request", """{"path": "/ping"}""", Credentials.Webhook(fake.BaseUrl, bearer: false, signing: false)), default);

        Assert.True(result.Succeeded);
        Assert.Equal("POST", fake.Single.Method);
        Assert.Null(fake.Single.Header("Authorization"));
        Assert.Null(fake.Single.Header("X-Portcullis-Signature"));
        Assert.Equal("""{"status":204}""", result.ResponsePayload!.Value.GetRawText());
    }

    [Fact]
    public async Task A_text_answer_is_kept_as_text()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(200, "OK thanks"));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("http.request", """{"path": "/ping", "method": "GET"}""", Credentials.Webhook(fake.BaseUrl)), default);

        Assert.Equal("OK thanks", result.ResponsePayload!.Value.GetProperty("body").GetString());
    }

    [Fact]
    public async Task An_absolute_url_in_the_payload_is_refused_and_nothing_is_sent()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(200));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("http.request", """{"path": "https://attacker.example/collect"}""", Credentials.Webhook(fake.BaseUrl)), default);

        Assert.Equal(ConnectorErrorCodes.InvalidPayload, result.Error!.ProviderCode);
        Assert.Equal("invalid payload: payload.path must be a path, not an absolute url", result.Error.Message);
        Assert.Empty(fake.Requests);
    }

    [Theory]
    [InlineData("/@attacker.example/x")]
    [InlineData("/;@attacker.example")]
    [InlineData("/x?next=https://attacker.example")]
    public void Odd_paths_still_stay_on_the_credentials_host(string path)
    {
        var baseUrl = new Uri("https://hooks.acme.example/base/");
        var target = Webhook.WebhookConnector.Target(baseUrl, path);
        Assert.Equal("hooks.acme.example", target.Host);
        Assert.StartsWith("/base/", target.AbsolutePath);
    }

    [Fact]
    public async Task A_failed_post_is_not_repeated_but_a_failed_put_is()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i is 0 or 1 ? FakeResponse.Json(500, new { message = "db down" }) : new FakeResponse(200));
        using var runner = Runner(fake);

        var post = await runner.ExecuteLiveAsync(Request("http.request", """{"path": "/a", "body": {}}""", Credentials.Webhook(fake.BaseUrl)), default);
        var put = await runner.ExecuteLiveAsync(Request("http.request", """{"path": "/a", "method": "PUT", "body": {}}""", Credentials.Webhook(fake.BaseUrl)), default);

        Assert.Equal(1, post.Attempts);
        Assert.Equal(new ConnectorError("webhook failed with HTTP 500: db down", 500, "http_500", null), post.Error);
        Assert.True(put.Succeeded);
        Assert.Equal(2, put.Attempts);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_even_for_a_post_because_nothing_was_sent()
    {
        using var runner = new ConnectorRunner(Client, Options(ClosedPort()), new FixedTime());

        var result = await runner.ExecuteLiveAsync(Request("http.request", """{"path": "/a", "body": {}}""", Credentials.Webhook(ClosedPort())), default);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(ConnectorErrorCodes.NetworkError, result.Error!.ProviderCode);
        Assert.Equal("could not complete the request to webhook: the connection could not be established (3 attempts)", result.Error.Message);
    }

    [Fact]
    public async Task A_base_url_with_credentials_or_query_is_refused()
    {
        using var runner = new ConnectorRunner(Client, new ConnectorOptions(), new FixedTime());
        var credential = Credentials.Make("webhook", ("baseUrl", "https://user:pass@hooks.example/?x=1"));

        var result = await runner.ExecuteLiveAsync(Request("http.request", """{"path": "/a"}""", credential), default);

        Assert.Equal(ConnectorErrorCodes.CredentialInvalid, result.Error!.ProviderCode);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(404, true)]
    [InlineData(405, true)]
    [InlineData(401, false)]
    [InlineData(503, false)]
    public async Task Verify_sends_head_to_the_base_url(int status, bool ok)
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(status));
        using var runner = Runner(fake, o => o.MaxAttempts = 1);

        var verified = await runner.VerifyAsync(Credentials.Webhook(new Uri(fake.BaseUrl, "/hooks")), default);

        Assert.Equal(ok, verified.Ok);
        Assert.Equal(status, verified.ProviderStatus);
        Assert.Equal("HEAD", fake.Single.Method);
        Assert.Equal("/hooks", fake.Single.Path);
    }
}
