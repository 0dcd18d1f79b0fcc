using System.Net;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Credentials;

public sealed class OAuthRefreshOutageTests(GoogleOAuthServer server) : IClassFixture<GoogleOAuthServer>
{
    [Fact]
    public async Task A_token_endpoint_outage_keeps_the_credential_connected_alerts_after_three_in_a_row_and_recovers()
    {
        var ws = await server.NewWorkspaceAsync();
        var started = await ws.Owner().PostJson("/api/credentials/oauth/start", new { provider = "gmail", name = "Support mailbox", agentId = ws.AgentId });
        var state = Uri.EscapeDataString((await started.Json()).GetProperty("state").GetString()!);
        var callback = OAuthFlowTests.WithCookiesOf(started, $"/api/credentials/oauth/callback?code=auth-code-9&state={state}");
        await (await server.Anonymous().SendAsync(callback)).AssertStatus(HttpStatusCode.OK);
        await (await ws.Owner().PatchJson("/api/workspace/settings", new { connectorMode = "live" })).AssertStatus(HttpStatusCode.OK);
        var runId = await ws.StartRunAsync();
        var email = new { runId, actionType = "email.send", payload = new { to = "customer@example.com", subject = "Your refund", text = "Done." } };

        // Gmail rejects the token and Google's token endpoint is down: each send fails, nothing asks for a reconnect.
        server.Google.ValidAccessToken = "ya29.rotated-elsewhere";
        server.Google.RefreshOutage = true;
        for (var i = 1; i <= 3; i++)
        {
            var failed = (await ws.RequestActionAsync(email)).GetProperty("execution");
            Assert.Equal("failed", failed.GetProperty("status").GetString());
            Assert.Equal("credential_refresh_failed", failed.GetProperty("error").GetProperty("code").GetString());
            var credential = Assert.Single((await (await ws.Owner().GetAsync("/api/credentials")).Json()).EnumerateArray());
            Assert.Equal("connected", credential.GetProperty("status").GetString());
            var alerts = (await (await ws.Owner().GetAsync("/api/alerts")).Json()).GetProperty("items").EnumerateArray()
                .Where(a => a.GetProperty("kind").GetString() == "credential_refresh_failing").ToList();
            Assert.Equal(i == 3 ? 1 : 0, alerts.Count);
        }

        // The outage ends: the next use refreshes and sends.
        server.Google.RefreshOutage = false;
        var sent = (await ws.RequestActionAsync(email)).GetProperty("execution");
        Assert.Equal("executed", sent.GetProperty("status").GetString());
        Assert.DoesNotContain("ya29.", server.Logs.All);
    }
}
