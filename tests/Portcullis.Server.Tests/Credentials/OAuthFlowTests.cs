using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Credentials;

/// <summary>A fake Google: the token endpoint and Gmail's send endpoint.</summary>
public sealed class FakeGoogle : IAsyncDisposable
{
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The access token Gmail currently accepts; refreshing moves it on.</summary>
    public string ValidAccessToken { get; set; } = "ya29.first";

    public bool RefuseRefresh { get; set; }

    /// <summary>The token endpoint answers 503 to refreshes (an outage, not a refusal).</summary>
    public bool RefreshOutage { get; set; }

    public ConcurrentQueue<string> TokenRequests { get; } = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            TokenRequests.Enqueue($"{form["grant_type"]}|{form["code"]}|{form["code_verifier"]}|{form["refresh_token"]}");
            if (form["grant_type"] == "refresh_token" && RefreshOutage)
            {
                return Results.Text("<html>Service Unavailable</html>", "text/html", statusCode: 503);
            }

            if (form["grant_type"] == "refresh_token" && RefuseRefresh)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "Token has been expired or revoked." }, statusCode: 400);
            }

            var access = form["grant_type"] == "authorization_code" ? "ya29.first" : "ya29.second";
            ValidAccessToken = access;
            return Results.Json(new { access_token = access, expires_in = 3599, refresh_token = "1//refresh-abc", token_type = "Bearer", scope = "https://www.googleapis.com/auth/gmail.send" });
        });
        app.MapPost("/gmail/v1/users/me/messages/send", (HttpContext http) =>
            http.Request.Headers.Authorization.ToString() == $"Bearer {ValidAccessToken}"
                ? Results.Json(new { id = "18c2f0a1b2c3d4e5", threadId = "18c2f0a1b2c3d4e5", labelIds = new[] { "SENT" } })
                : Results.Json(new { error = new { code = 401, message = "Request had invalid authentication credentials.", status = "UNAUTHENTICATED" } }, statusCode: 401));
        await app.StartAsync();
        _app = app;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

public sealed class GoogleOAuthServer() : ServerFixture(StorageProvider.Sqlite)
{
    public FakeGoogle Google { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:OAuth:Google:ClientId"] = "client-123.apps.example",
        ["Portcullis:OAuth:Google:ClientSecret"] = "client-secret-xyz",
        ["Portcullis:Connectors:Gmail:BaseUrl"] = Google.BaseUrl,
        ["Portcullis:Connectors:Gmail:TokenEndpoint"] = Google.BaseUrl + "/token",
        ["Portcullis:Connectors:Gmail:AuthorizationEndpoint"] = Google.BaseUrl + "/authorize",
    };

    public override async Task InitializeAsync()
    {
        await Google.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Google.DisposeAsync();
    }
}

public sealed class OAuthFlowTests(GoogleOAuthServer server) : IClassFixture<GoogleOAuthServer>
{
    [Fact]
    public async Task Gmail_connects_with_pkce_and_state_refreshes_after_a_401_and_asks_for_reconnection_when_refresh_fails()
    {
        var ws = await server.NewWorkspaceAsync();
        var started = await ws.Owner().PostJson("/api/credentials/oauth/start", new { provider = "gmail", name = "Support mailbox", agentId = ws.AgentId });
        var start = await started.Json();
        var url = new Uri(start.GetProperty("authorizationUrl").GetString()!);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(start.GetProperty("state").GetString(), query["state"]);
        Assert.Equal("client-123.apps.example", query["client_id"]);

        var state = Uri.EscapeDataString(start.GetProperty("state").GetString()!);
        // The browser that started the flow comes back with the binding cookie start set.
        var callback = await server.Anonymous().SendAsync(WithCookiesOf(started, $"/api/credentials/oauth/callback?code=auth-code-1&state={state}"));
        await callback.AssertStatus(HttpStatusCode.OK);
        Assert.Contains("authorization_code|auth-code-1|", server.Google.TokenRequests.First());
        Assert.DoesNotContain("||", server.Google.TokenRequests.First().Split('|')[2] + "|"); // a verifier was sent

        var replay = await server.Anonymous().SendAsync(WithCookiesOf(started, $"/api/credentials/oauth/callback?code=auth-code-1&state={state}"));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);

        var credential = Assert.Single((await (await ws.Owner().GetAsync("/api/credentials")).Json()).EnumerateArray());
        Assert.Equal("gmail", credential.GetProperty("provider").GetString());
        Assert.Equal("oauth", credential.GetProperty("authType").GetString());
        Assert.Contains(ws.AgentId, credential.GetProperty("linkedAgentIds").EnumerateArray().Select(a => a.GetString()));

        // The provider revokes the first token: Portcullis refreshes once and retries.
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { connectorMode = "live" })).AssertStatus(HttpStatusCode.OK);
        server.Google.ValidAccessToken = "ya29.rotated-elsewhere";
        var runId = await ws.StartRunAsync();
        var email = new { runId, actionType = "email.send", payload = new { to = "customer@example.com", subject = "Your refund", text = "Done." } };
        var sent = (await ws.RequestActionAsync(email)).GetProperty("execution");
        Assert.Equal("executed", sent.GetProperty("status").GetString());
        Assert.Contains(server.Google.TokenRequests, r => r.StartsWith("refresh_token|", StringComparison.Ordinal));

        // Refresh refused: a clear failure, and the credential asks to be reconnected.
        server.Google.ValidAccessToken = "ya29.revoked";
        server.Google.RefuseRefresh = true;
        var failed = (await ws.RequestActionAsync(email)).GetProperty("execution");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("credential_needs_reconnect", failed.GetProperty("error").GetProperty("code").GetString());
        var after = Assert.Single((await (await ws.Owner().GetAsync("/api/credentials")).Json()).EnumerateArray());
        Assert.Equal("needs_reconnect", after.GetProperty("status").GetString());
        Assert.DoesNotContain("ya29.", server.Logs.All);
    }

    [Fact]
    public async Task Starting_oauth_for_an_unconfigured_provider_is_a_clear_400()
    {
        var ws = await server.NewWorkspaceAsync();
        var response = await ws.Owner().PostJson("/api/credentials/oauth/start", new { provider = "hubspot" });
        await response.AssertProblem(HttpStatusCode.BadRequest, "oauth_not_configured");
    }

    [Fact]
    public async Task An_unknown_state_connects_nothing()
    {
        var response = await server.Anonymous().GetAsync("/api/credentials/oauth/callback?code=x&state=forged");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expired or was already used", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A GET to <paramref name="url"/> carrying the cookies <paramref name="from"/> set, as the same browser would.</summary>
    internal static HttpRequestMessage WithCookiesOf(HttpResponseMessage from, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (from.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        }

        return request;
    }
}
