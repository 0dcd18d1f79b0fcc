using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>
/// The MCP OAuth consent page in a real browser: a signed-in owner allows a registered client to act as the agent, the
/// browser is sent back to the client's loopback redirect URI with a code (which the page's form-action policy must
/// permit), the code buys a token that /mcp accepts, and the agent's MCP clients tab revokes it.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class McpConsentTests(DashboardHost host)
{
    private const string Callback = "http://127.0.0.1:53999/callback";

    [Fact]
    public async Task An_owner_allows_a_client_on_the_consent_page_and_revokes_it_on_the_agents_page()
    {
        var agentId = await host.Api().SeededAgentIdAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var client = await (await anonymous.PostAsJsonAsync("/oauth/register", new { client_name = "Browser MCP client", redirect_uris = new[] { Callback } }))
            .JsonAsync(HttpStatusCode.Created);
        var clientId = client.GetProperty("client_id").GetString()!;
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var page = await host.SignInAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync(QueryHelpers.AddQueryString("/oauth/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = Callback, ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256", ["state"] = "browser-state", ["resource"] = $"{host.BaseUrl}/mcp",
        }));
        await Expect(page.Locator(".client-name")).ToHaveTextAsync("Browser MCP client");
        await Expect(page.Locator(".redirect-origin")).ToHaveTextAsync("http://127.0.0.1:53999");
        await page.SelectOptionAsync("select[name=agentId]", agentId);
        // Nothing listens on the callback port, so the browser answers the redirect itself, as a native client's loopback
        // listener would. Waiting for that page to load (rather than only for the request) keeps the failed navigation
        // Chromium would otherwise commit later from interrupting the next GotoAsync.
        await page.RouteAsync($"{Callback}**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, Body = "signed in" }));
        await page.ClickAsync("button[value=allow]");
        await page.WaitForURLAsync($"{Callback}**");
        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.Equal("browser-state", query["state"].ToString());
        Assert.Equal(host.BaseUrl, query["iss"].ToString());

        var tokens = await (await anonymous.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = query["code"].ToString(), ["client_id"] = clientId,
            ["redirect_uri"] = Callback, ["code_verifier"] = verifier,
        }))).JsonAsync(HttpStatusCode.OK);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await DiscoverAsync(access)).StatusCode);

        await page.GotoAsync($"/agents/{agentId}?tab=mcp");
        var row = page.Locator("tr", new PageLocatorOptions { HasText = "Browser MCP client" });
        await Expect(row.Locator(".badge")).ToHaveTextAsync("active");
        await row.Locator("button:text('Revoke')").ClickAsync();
        await page.WaitForURLAsync("**?tab=mcp");
        await Expect(page.Locator("tr", new PageLocatorOptions { HasText = "Browser MCP client" }).Locator(".badge")).ToHaveTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await DiscoverAsync(access)).StatusCode);
    }

    private async Task<HttpResponseMessage> DiscoverAsync(string token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "server/discover", @params = new { } }),
        };
        request.Headers.Add("Authorization", $"Bearer {token}");
        request.Headers.Add("Accept", "application/json, text/event-stream");
        return await http.SendAsync(request);
    }
}
