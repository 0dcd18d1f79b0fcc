using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using Portcullis.Connectors.OAuth;
using Portcullis.Connectors.Tests.Infrastructure;
using static Portcullis.Connectors.Tests.Infrastructure.Harness;

namespace Portcullis.Connectors.Tests.OAuth;

public class OAuthClientTests
{
    private const string ClientSecret = "GOCSPX-LEAKCHECK-client-secret";

    [Fact]
    public void Pkce_verifier_is_long_random_base64url_and_the_challenge_is_its_sha256()
    {
        var pair = OAuthClient.CreatePkce();

        Assert.InRange(pair.Verifier.Length, 43, 128);
        Assert.Matches("^[A-Za-z0-9_-]+$", pair.Verifier);
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(pair.Verifier))), pair.Challenge);
        Assert.NotEqual(pair.Verifier, OAuthClient.CreatePkce().Verifier);
        Assert.DoesNotContain(pair.Verifier, pair.ToString(), StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", OAuthClient.CreateState());
    }

    [Fact]
    public void Google_authorization_url_asks_for_offline_gmail_send_with_pkce_and_state()
    {
        var client = new OAuthClient(Client, new ConnectorOptions(), new FixedTime());

        var url = client.BuildAuthorizationUrl("gmail", "123.apps.googleusercontent.com", "https://portcullis.example/oauth/callback", "st@te", "chal-lenge");

        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", url.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("123.apps.googleusercontent.com", query["client_id"]);
        Assert.Equal("https://portcullis.example/oauth/callback", query["redirect_uri"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("https://www.googleapis.com/auth/gmail.send", query["scope"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal("st@te", query["state"]);
        Assert.Equal("chal-lenge", query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Contains("scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.send", url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void HubSpot_authorization_url_asks_for_crm_scopes_with_pkce_and_state()
    {
        var client = new OAuthClient(Client, new ConnectorOptions(), new FixedTime());

        var url = client.BuildAuthorizationUrl("hubspot", "hub-client", "https://portcullis.example/cb", "s1", "c1");

        Assert.Equal("https://app.hubspot.com/oauth/authorize", url.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Contains("crm.objects.contacts.write", query["scope"]!.Split(' '));
        Assert.Contains("crm.objects.deals.read", query["scope"]!.Split(' '));
        Assert.Equal("s1", query["state"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Null(query["access_type"]);
    }

    [Fact]
    public void Other_providers_do_not_use_oauth()
    {
        var client = new OAuthClient(Client, new ConnectorOptions(), new FixedTime());

        Assert.Throws<ArgumentException>(() => client.BuildAuthorizationUrl("stripe", "c", "https://x", "s", "c"));
    }

    [Fact]
    public async Task Exchanging_a_code_posts_the_verifier_and_reads_tokens()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new
        {
            access_token = "ya29.new-access",
            expires_in = 3599,
            refresh_token = "1//new-refresh",
            scope = "https://www.googleapis.com/auth/gmail.send",
            token_type = "Bearer",
        }));
        var client = new OAuthClient(Client, Options(fake.BaseUrl), new FixedTime());

        var result = await client.ExchangeCodeAsync("gmail", "cid", ClientSecret, "https://portcullis.example/cb", "4/0Acode", "verifier-123", default);

        Assert.True(result.Ok);
        Assert.Equal("ya29.new-access", result.AccessToken);
        Assert.Equal("1//new-refresh", result.RefreshToken);
        Assert.Equal(FixedTime.Default.AddSeconds(3599), result.ExpiresAt);
        Assert.Equal("https://www.googleapis.com/auth/gmail.send", result.Scope);
        var request = fake.Single;
        Assert.Equal("/token", request.Path);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(
            [new("grant_type", "authorization_code"), new("client_id", "cid"), new("client_secret", ClientSecret), new("redirect_uri", "https://portcullis.example/cb"), new("code", "4/0Acode"), new("code_verifier", "verifier-123")],
            request.Form);
        Assert.DoesNotContain("ya29.new-access", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_keeps_the_old_refresh_token_when_none_is_returned()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { access_token = "ya29.refreshed", expires_in = 3599, token_type = "Bearer" }));
        var client = new OAuthClient(Client, Options(fake.BaseUrl), new FixedTime());

        var result = await client.RefreshAsync("gmail", "cid", ClientSecret, "1//keep-me", default);

        Assert.True(result.Ok);
        Assert.Equal("ya29.refreshed", result.AccessToken);
        Assert.Equal("1//keep-me", result.RefreshToken);
        Assert.Equal([new("grant_type", "refresh_token"), new("client_id", "cid"), new("client_secret", ClientSecret), new("refresh_token", "1//keep-me")], fake.Single.Form);
    }

    [Fact]
    public async Task HubSpot_refresh_uses_its_token_endpoint_and_rotated_refresh_token()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { refresh_token = "hub-refresh-2", access_token = "hub-access-2", expires_in = 1800, token_type = "bearer" }));
        var client = new OAuthClient(Client, Options(fake.BaseUrl), new FixedTime());

        var result = await client.RefreshAsync("hubspot", "cid", ClientSecret, "hub-refresh-1", default);

        Assert.Equal("/oauth/v1/token", fake.Single.Path);
        Assert.Equal("hub-refresh-2", result.RefreshToken);
        Assert.Equal(FixedTime.Default.AddMinutes(30), result.ExpiresAt);
    }

    [Fact]
    public async Task A_revoked_google_grant_reads_as_invalid_grant_without_secrets()
    {
        await using var fake = await FakeProvider.StartAsync(r => FakeResponse.Json(400, new { error = "invalid_grant", error_description = $"Token has been expired or revoked: {r.FormValue("refresh_token")} / {r.FormValue("client_secret")}" }));
        var client = new OAuthClient(Client, Options(fake.BaseUrl), new FixedTime());

        var result = await client.RefreshAsync("gmail", "cid", ClientSecret, "1//revoked-LEAKCHECK", default);

        Assert.False(result.Ok);
        Assert.True(result.NeedsReconnect);
        Assert.Equal("invalid_grant", result.Error);
        Assert.Null(result.AccessToken);
        Assert.DoesNotContain("LEAKCHECK", Serialize(result), StringComparison.Ordinal);
        Assert.Contains("[redacted]", result.ErrorDescription, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BAD_REFRESH_TOKEN", "invalid_grant")]
    [InlineData("BAD_AUTH_CODE", "invalid_grant")]
    [InlineData("BAD_CLIENT_ID", "invalid_client")]
    public async Task HubSpot_error_statuses_map_to_oauth_codes(string status, string error)
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(400, new { status, message = "missing or invalid refresh token" }));
        var client = new OAuthClient(Client, Options(fake.BaseUrl), new FixedTime());

        var result = await client.RefreshAsync("hubspot", "cid", ClientSecret, "r", default);

        Assert.Equal(error, result.Error);
        Assert.Equal("missing or invalid refresh token", result.ErrorDescription);
    }

    [Fact]
    public async Task An_unreachable_or_slow_token_endpoint_is_temporary()
    {
        await using var slow = await FakeProvider.StartAsync(_ => new FakeResponse(200, "{}", Delay: TimeSpan.FromSeconds(5)));
        var unreachable = new OAuthClient(Client, Options(ClosedPort()), new FixedTime());
        var timingOut = new OAuthClient(Client, Options(slow.BaseUrl, o => o.Timeout = TimeSpan.FromMilliseconds(200)), new FixedTime());

        var refused = await unreachable.RefreshAsync("gmail", "cid", ClientSecret, "r", default);
        var timedOut = await timingOut.RefreshAsync("gmail", "cid", ClientSecret, "r", default);

        Assert.Equal("temporarily_unavailable", refused.Error);
        Assert.Equal("temporarily_unavailable", timedOut.Error);
        Assert.False(refused.NeedsReconnect);
    }

    [Fact]
    public async Task A_success_without_an_access_token_is_not_ok()
    {
        await using var fake = await FakeProvider.StartAsync(_ => FakeResponse.Json(200, new { token_type = "Bearer" }));
        var client = new OAuthClient(Client, Options(fake.BaseUrl), new FixedTime());

        var result = await client.ExchangeCodeAsync("gmail", "cid", ClientSecret, "https://x/cb", "code", "verifier", default);

        Assert.Equal("invalid_response", result.Error);
    }
}
