using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class SlackLiveTests
{
    private static readonly object Posted = new { ok = true, channel = "C0123456789", ts = "1741944413.000200", message = new { text = "hi", type = "message" } };

    [Fact]
    public async Task Post_sends_json_with_the_bot_token()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Posted));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("slack.post_message",
            """{"channel": "C0123456789", "text": "Refund of $15 approved", "threadTs": "1741940000.000100", "blocks": [{"type": "divider"}]}""", Credentials.Slack()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("1741944413.000200", result.ResponsePayload!.Value.GetProperty("ts").GetString());
        var request = fake.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/chat.postMessage", request.Path);
        Assert.Equal($"Bearer {Credentials.SlackToken}", request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("""{"channel":"C0123456789","text":"Refund of $15 approved","blocks":[{"type":"divider"}],"thread_ts":"1741940000.000100"}""", request.BodyText);
    }

    [Fact]
    public async Task Ok_false_with_http_200_is_a_failure_with_slacks_error_code()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { ok = false, error = "channel_not_found" },
            new Dictionary<string, string> { ["X-Slack-Req-Id"] = "slack-req-7" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("slack.post_message", """{"channel": "C404", "text": "hi"}""", Credentials.Slack()), default);

        Assert.False(result.Succeeded);
        Assert.Equal(new ConnectorError(
            "slack refused the request with HTTP 200: slack answered `channel_not_found`: the channel does not exist or the bot cannot see it",
            200, "channel_not_found", "slack-req-7"), result.Error);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task Rate_limited_posts_wait_for_retry_after_and_succeed()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? FakeResponse.Json(429, new { ok = false, error = "ratelimited" }, new Dictionary<string, string> { ["Retry-After"] = "1" })
            : FakeResponse.Json(200, Posted));
        using var runner = Runner(fake);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await runner.ExecuteLiveAsync(Request("slack.post_message", """{"channel": "C1", "text": "hi"}""", Credentials.Slack()), default);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited {watch.Elapsed}");
    }

    [Fact]
    public async Task Rate_limiting_that_outlasts_every_attempt_is_reported()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(429, new { ok = false, error = "ratelimited" }, new Dictionary<string, string> { ["Retry-After"] = "0" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("slack.post_message", """{"channel": "C1", "text": "hi"}""", Credentials.Slack()), default);

        Assert.Equal(3, result.Attempts);
        Assert.Equal("ratelimited", result.Error!.ProviderCode);
        Assert.Equal(429, result.Error.ProviderStatus);
    }

    [Fact]
    public async Task A_server_error_on_a_post_is_not_repeated()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(500, "<html>oops</html>"));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("slack.post_message", """{"channel": "C1", "text": "hi"}""", Credentials.Slack()), default);

        Assert.Equal(1, result.Attempts);
        Assert.Equal("http_500", result.Error!.ProviderCode);
        Assert.Null(result.ResponsePayload);
    }

    [Fact]
    public async Task Verify_calls_auth_test()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? FakeResponse.Json(200, new { ok = true, team = "Acme", user = "portcullis", team_id = "T1", user_id = "U1" })
            : FakeResponse.Json(200, new { ok = false, error = "invalid_auth" }));
        using var runner = Runner(fake);

        var verified = await runner.VerifyAsync(Credentials.Slack(), default);
        var rejected = await runner.VerifyAsync(Credentials.Slack(), default);

        Assert.Equal(new VerifyResult(true, "slack accepted the bot token for portcullis in Acme", 200), verified);
        Assert.Equal("POST", fake.Requests[0].Method);
        Assert.Equal("/api/auth.test", fake.Requests[0].Path);
        Assert.False(rejected.Ok);
        Assert.Contains("invalid_auth", rejected.Message);
    }
}
