using System.Buffers.Text;
using System.Text;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class GmailLiveTests
{
    private static readonly object Sent = new { id = "18c6f0a1b2c3d4e5", threadId = "18c6f0a1b2c3d4e5", labelIds = new[] { "SENT" } };

    [Fact]
    public async Task Send_posts_base64url_rfc5322_with_every_header_and_alternative_bodies()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Sent));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("email.send", """
            {"to": ["ana@example.com", "bo@example.org"], "cc": "cc@example.com", "bcc": ["hidden@example.com"],
             "subject": "Rückerstattung für Bestellung #42 ✓", "text": "Hallo Ana,\nIhr Geld ist unterwegs. 💸",
             "html": "<p>Hallo Ana,</p><p>Ihr Geld ist <b>unterwegs</b>. 💸</p>",
             "threadId": "18c6f0a1b2c3d4e5", "inReplyTo": "CAF=abc123@mail.gmail.com"}
            """, Credentials.Gmail()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("18c6f0a1b2c3d4e5", result.ResponsePayload!.Value.GetProperty("id").GetString());
        var request = fake.Single;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/gmail/v1/users/me/messages/send", request.Path);
        Assert.Equal($"Bearer {Credentials.GmailAccess}", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal("18c6f0a1b2c3d4e5", request.Json.GetProperty("threadId").GetString());

        var raw = request.Json.GetProperty("raw").GetString()!;
        Assert.DoesNotContain('+', raw);
        Assert.DoesNotContain('/', raw);
        var message = MimeReader.Parse(Encoding.ASCII.GetString(Base64Url.DecodeFromChars(raw)));
        Assert.Equal("ana@example.com, bo@example.org", message.Header("To"));
        Assert.Equal("cc@example.com", message.Header("Cc"));
        Assert.Equal("hidden@example.com", message.Header("Bcc"));
        Assert.Equal("<CAF=abc123@mail.gmail.com>", message.Header("In-Reply-To"));
        Assert.Equal("<CAF=abc123@mail.gmail.com>", message.Header("References"));
        Assert.Equal("1.0", message.Header("MIME-Version"));
        Assert.Equal("Fri, 14 Mar 2025 09:26:53 +0000", message.Header("Date"));
        Assert.StartsWith("=?UTF-8?B?", message.Header("Subject"));
        Assert.Equal("Rückerstattung für Bestellung #42 ✓", MimeReader.DecodeWords(message.Header("Subject")!));
        Assert.StartsWith("multipart/alternative; boundary=", message.Header("Content-Type"));
        Assert.Equal(2, message.Parts.Count);
        Assert.Equal("text/plain; charset=\"UTF-8\"", message.Parts[0].Header("Content-Type"));
        Assert.Equal("Hallo Ana,\nIhr Geld ist unterwegs. 💸", message.Parts[0].Body);
        Assert.Equal("text/html; charset=\"UTF-8\"", message.Parts[1].Header("Content-Type"));
        Assert.Equal("<p>Hallo Ana,</p><p>Ihr Geld ist <b>unterwegs</b>. 💸</p>", message.Parts[1].Body);
    }

    [Fact]
    public async Task A_text_only_message_is_a_single_part_with_a_plain_ascii_subject()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Sent));
        using var runner = Runner(fake);

        await runner.ExecuteLiveAsync(Request("email.send", """{"to": "ana@example.com", "subject": "Your refund", "text": "On its way."}""", Credentials.Gmail()), default);

        var request = fake.Single;
        Assert.False(request.Json.TryGetProperty("threadId", out _));
        var message = MimeReader.Parse(Encoding.ASCII.GetString(Base64Url.DecodeFromChars(request.Json.GetProperty("raw").GetString()!)));
        Assert.Equal("Your refund", message.Header("Subject"));
        Assert.Equal("text/plain; charset=\"UTF-8\"", message.Header("Content-Type"));
        Assert.Equal("On its way.", message.Body);
        Assert.Empty(message.Parts);
        Assert.Equal(0, message.Count("Cc") + message.Count("Bcc") + message.Count("In-Reply-To"));
    }

    [Fact]
    public async Task A_failed_send_is_not_repeated_because_the_mail_may_have_gone_out()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(500,
            new { error = new { code = 500, message = "Backend Error", status = "INTERNAL", errors = new[] { new { reason = "backendError", domain = "global" } } } }));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""", Credentials.Gmail()), default);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Attempts);
        Assert.Single(fake.Requests);
        Assert.Equal("backendError", result.Error!.ProviderCode);
        Assert.Equal("gmail failed with HTTP 500: Backend Error", result.Error.Message);
    }

    [Fact]
    public async Task A_slow_send_times_out_once_and_is_not_repeated()
    {
        await using var fake = await FakeProvider.StartAsync(_ => new FakeResponse(200, "{}", Delay: TimeSpan.FromSeconds(5)));
        using var runner = Runner(fake, o => o.Timeout = TimeSpan.FromMilliseconds(250));

        var result = await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""", Credentials.Gmail()), default);

        Assert.Equal(ConnectorErrorCodes.Timeout, result.Error!.ProviderCode);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task A_rate_limited_send_was_not_processed_and_is_retried()
    {
        await using var fake = await FakeProvider.StartAsync((_, i) => i == 0
            ? FakeResponse.Json(429, new { error = new { code = 429, message = "Rate Limit Exceeded", status = "RESOURCE_EXHAUSTED" } }, new Dictionary<string, string> { ["Retry-After"] = "0" })
            : FakeResponse.Json(200, Sent));
        using var runner = Runner(fake);

        var result = await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""", Credentials.Gmail()), default);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task A_401_refreshes_the_token_once_and_sends_again_with_the_new_one()
    {
        await using var fake = await FakeProvider.StartAsync(r => r.Header("Authorization") == "Bearer ya29.fresh-token-after-refresh"
            ? FakeResponse.Json(200, Sent)
            : FakeResponse.Json(401, new { error = new { code = 401, message = "Request had invalid authentication credentials.", status = "UNAUTHENTICATED" } }));
        var refresher = ScriptedRefresher.WithToken("ya29.fresh-token-after-refresh");
        using var runner = Runner(fake, refresher: refresher);

        var result = await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""", Credentials.Gmail()), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(2, result.Attempts);
        Assert.Single(refresher.Calls);
        Assert.Equal(Credentials.GmailAccess, refresher.Calls[0].Values["accessToken"]);
    }

    [Fact]
    public async Task A_second_401_after_refreshing_is_reported_without_refreshing_again()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(401, new { error = new { code = 401, message = "Invalid Credentials", status = "UNAUTHENTICATED" } }));
        var refresher = ScriptedRefresher.WithToken("ya29.still-rejected");
        using var runner = Runner(fake, refresher: refresher);

        var result = await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""", Credentials.Gmail()), default);

        Assert.False(result.Succeeded);
        Assert.Equal(401, result.Error!.ProviderStatus);
        Assert.Equal("UNAUTHENTICATED", result.Error.ProviderCode);
        Assert.Equal(2, result.Attempts);
        Assert.Single(refresher.Calls);
    }

    [Fact]
    public async Task A_refresh_that_fails_asks_for_reconnection()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(401, new { error = new { code = 401, status = "UNAUTHENTICATED" } }));
        using var runner = Runner(fake, refresher: new ScriptedRefresher(_ => null));

        var result = await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""", Credentials.Gmail()), default);

        Assert.False(result.Succeeded);
        Assert.Equal(ConnectorErrorCodes.CredentialNeedsReconnect, result.Error!.ProviderCode);
        Assert.Equal(401, result.Error.ProviderStatus);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task A_token_expiring_within_a_minute_is_refreshed_before_sending()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Sent));
        var refresher = ScriptedRefresher.WithToken("ya29.refreshed-ahead-of-expiry");
        using var runner = Runner(fake, refresher: refresher);
        var expiresIn30s = FixedTime.Default.AddSeconds(30).ToUnixTimeSeconds();

        var result = await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""", Credentials.Gmail(expiresIn30s)), default);

        Assert.True(result.Succeeded);
        Assert.Single(refresher.Calls);
        Assert.Equal("Bearer ya29.refreshed-ahead-of-expiry", fake.Single.Header("Authorization"));
    }

    [Fact]
    public async Task A_token_valid_for_longer_is_used_as_is()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Sent));
        var refresher = ScriptedRefresher.WithToken("unused");
        using var runner = Runner(fake, refresher: refresher);

        await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""",
            Credentials.Gmail(FixedTime.Default.AddMinutes(5).ToUnixTimeSeconds())), default);

        Assert.Empty(refresher.Calls);
    }

    [Fact]
    public async Task An_expiring_token_whose_refresh_fails_never_reaches_gmail()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, Sent));
        using var runner = Runner(fake, refresher: new ScriptedRefresher(_ => null));

        var result = await runner.ExecuteLiveAsync(Request("email.send", """{"to": "a@example.com", "subject": "s", "text": "t"}""",
            Credentials.Gmail(FixedTime.Default.ToUnixTimeSeconds() - 10)), default);

        Assert.Equal(ConnectorErrorCodes.CredentialNeedsReconnect, result.Error!.ProviderCode);
        Assert.Equal(0, result.Attempts);
        Assert.Empty(fake.Requests);
    }
}
