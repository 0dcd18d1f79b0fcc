using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.Providers;

public class GmailVerifyTests
{
    private const string ReadOnlyToken = "ya29.readonly-token-0002";

    private static readonly Dictionary<string, string[]> Tokens = new()
    {
        [Credentials.GmailAccess] = [FakeGmail.SendScope],
        [ReadOnlyToken] = [FakeGmail.ReadonlyScope],
    };

    [Fact]
    public async Task Verify_passes_for_a_send_only_token_by_asking_token_info_for_its_scopes()
    {
        await using var fake = await FakeProvider.StartAsync(FakeGmail.Handler(Tokens));
        using var runner = Runner(fake);

        var verified = await runner.VerifyAsync(Credentials.Gmail(), default);

        Assert.Equal(new VerifyResult(true, "gmail accepted the token: it may send mail", 200), verified);
        var request = fake.Single;
        Assert.Equal(("POST", "/tokeninfo", ""), (request.Method, request.Path, request.Query));
        Assert.Equal($"Bearer {Credentials.GmailAccess}", request.Header("Authorization"));
        Assert.DoesNotContain(Credentials.GmailAccess, request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_fails_for_a_token_that_may_not_send()
    {
        await using var fake = await FakeProvider.StartAsync(FakeGmail.Handler(Tokens));
        using var runner = Runner(fake);

        var verified = await runner.VerifyAsync(Credentials.Make("gmail", ("accessToken", ReadOnlyToken)), default);

        Assert.False(verified.Ok);
        Assert.Contains("was not granted `https://www.googleapis.com/auth/gmail.send`", verified.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_reports_a_token_google_does_not_know()
    {
        await using var fake = await FakeProvider.StartAsync(FakeGmail.Handler(Tokens));
        using var runner = Runner(fake);

        var verified = await runner.VerifyAsync(Credentials.Make("gmail", ("accessToken", "ya29.unknown")), default);

        Assert.Equal(new VerifyResult(false, "gmail refused the request with HTTP 400: Invalid Value", 400), verified);
    }

    [Fact]
    public async Task The_fake_enforces_scopes_as_google_does_so_sending_works_with_the_send_scope_only()
    {
        await using var fake = await FakeProvider.StartAsync(FakeGmail.Handler(Tokens));
        using var runner = Runner(fake);
        const string payload = """{"to": "a@example.com", "subject": "s", "text": "t"}""";

        var sent = await runner.ExecuteLiveAsync(Request("email.send", payload, Credentials.Gmail()), default);
        var refused = await runner.ExecuteLiveAsync(Request("email.send", payload, Credentials.Make("gmail", ("accessToken", ReadOnlyToken))), default);

        Assert.True(sent.Succeeded, sent.Error?.Message);
        Assert.Equal(403, refused.Error!.ProviderStatus);
        Assert.Equal("insufficientPermissions", refused.Error.ProviderCode);
    }
}
