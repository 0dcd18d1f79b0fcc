using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

/// <summary><c>slack.update_message</c> (chat.update) and <c>slack.lookup_user_by_email</c> (users.lookupByEmail).</summary>
public class SlackUpdateLookupTests
{
    private static readonly object Updated = new { ok = true, channel = "C0123456789", ts = "1741944413.000200", text = "Refund sent" };
    private static readonly object Member = new { ok = true, user = new { id = "U0123ABCD", profile = new { email = "ana@example.com" } } };

    [Fact]
    public async Task Update_posts_chat_update_json_with_channel_ts_text_and_blocks()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Updated));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("slack.update_message",
            """{"channel": "C0123456789", "ts": "1741944413.000200", "text": "Refund sent", "blocks": [{"type": "divider"}]}""", Credentials.Slack()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        var request = fake.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/chat.update", request.Path);
        Assert.Equal($"Bearer {Credentials.SlackToken}", request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("""{"channel":"C0123456789","ts":"1741944413.000200","text":"Refund sent","blocks":[{"type":"divider"}]}""", request.BodyText);
    }

    [Fact]
    public async Task A_failed_update_is_retried_because_the_same_update_twice_is_harmless()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0 ? FakeResponse.Json(503, new { ok = false, error = "fatal_error" }) : FakeResponse.Json(200, Updated));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("slack.update_message", """{"channel": "C1", "ts": "1.2", "text": "x"}""", Credentials.Slack()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task Update_of_someone_elses_message_explains_slacks_error()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { ok = false, error = "cant_update_message" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("slack.update_message", """{"channel": "C1", "ts": "1.2", "text": "x"}""", Credentials.Slack()), default);

        Assert.False(result.Succeeded);
        Assert.Equal("cant_update_message", result.Error!.ProviderCode);
        Assert.EndsWith("slack answered `cant_update_message`: the bot may only update its own messages", result.Error.Message);
    }

    [Fact]
    public async Task Lookup_gets_users_lookup_by_email_with_the_address_in_the_query()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Member));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("slack.lookup_user_by_email", """{"email": "ana+vip@example.com"}""", Credentials.Slack()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("U0123ABCD", result.ResponsePayload!.Value.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("GET", fake.Single.Method);
        Assert.Equal("/api/users.lookupByEmail", fake.Single.Path);
        Assert.Equal("?email=ana%2Bvip%40example.com", fake.Single.Query);
        Assert.Equal($"Bearer {Credentials.SlackToken}", fake.Single.Header("Authorization"));
        Assert.Empty(fake.Single.Body);
    }

    [Fact]
    public async Task An_unknown_address_is_a_failure_with_slacks_code()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { ok = false, error = "users_not_found" }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("slack.lookup_user_by_email", """{"email": "nobody@example.com"}""", Credentials.Slack()), default);

        Assert.Equal("users_not_found", result.Error!.ProviderCode);
        Assert.Equal(1, result.Attempts);
    }

    [Theory]
    [InlineData("slack.update_message", """{"channel": "C1", "text": "x"}""", "payload.ts is required")]
    [InlineData("slack.update_message", """{"channel": "C1", "ts": "1.2"}""", "payload.text")]
    [InlineData("slack.lookup_user_by_email", """{"email": "not an address"}""", "payload.email must be an email address")]
    public async Task Invalid_payloads_never_reach_slack(string actionType, string payload, string problem)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Member));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request(actionType, payload, Credentials.Slack()), default);

        Assert.Equal(ConnectorErrorCodes.InvalidPayload, result.Error!.ProviderCode);
        Assert.Contains(problem, result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public void Demo_answers_echo_the_message_and_the_member()
    {
        var updated = ConnectorRunner.ExecuteDemo(Request("slack.update_message", """{"channel": "C0123456789", "ts": "1741944413.000200", "text": "new"}""", null), new FixedTime());
        var member = ConnectorRunner.ExecuteDemo(Request("slack.lookup_user_by_email", """{"email": "ana@example.com"}""", null), new FixedTime());

        Assert.Equal("1741944413.000200", updated.ResponsePayload!.Value.GetProperty("ts").GetString());
        Assert.Equal("new", updated.ResponsePayload!.Value.GetProperty("message").GetProperty("text").GetString());
        var user = member.ResponsePayload!.Value.GetProperty("user");
        Assert.Matches("^U[A-Z0-9]{10}$", user.GetProperty("id").GetString());
        Assert.Equal("ana@example.com", user.GetProperty("profile").GetProperty("email").GetString());
    }
}
