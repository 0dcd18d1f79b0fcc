using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.McpOAuth;

/// <summary>
/// Drives the MCP authorization server as a client and a member would: registers a client, opens the consent page with a
/// dashboard session, posts the member's decision with the page's antiforgery token, and exchanges the code.
/// </summary>
public sealed partial class OAuthFlow(ServerFixture server)
{
    public const string RedirectUri = "http://127.0.0.1:53682/callback";

    public ServerFixture Server => server;

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public async Task<string> RegisterAsync(string name = "Test client", string redirectUri = RedirectUri)
    {
        var response = await server.Anonymous().PostJson("/oauth/register", new { client_name = name, redirect_uris = new[] { redirectUri } });
        await response.AssertStatus(HttpStatusCode.Created);
        return (await response.Json()).GetProperty("client_id").GetString()!;
    }

    public static string AuthorizeUrl(string clientId, string challenge, string state = "xyz", string redirectUri = RedirectUri, string? resource = "http://localhost/mcp") =>
        QueryHelpers.AddQueryString("/oauth/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = redirectUri, ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256", ["state"] = state, ["scope"] = "mcp", ["resource"] = resource,
        }.Where(p => p.Value is not null));

    /// <summary>A client that keeps a member's session cookie and does not follow redirects (the answer's Location is the point).</summary>
    public HttpClient Browser(string sessionToken)
    {
        var client = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", $"portcullis_session={sessionToken}");
        return client;
    }

    /// <summary>Opens the consent page and posts <paramref name="decision"/> for <paramref name="agentId"/>; returns the answer.</summary>
    public async Task<HttpResponseMessage> DecideAsync(string sessionToken, string authorizeUrl, string? agentId, string decision = "allow")
    {
        using var browser = Browser(sessionToken);
        var page = await browser.GetAsync(authorizeUrl);
        await page.AssertStatus(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        var fields = InputTag().Matches(html).Select(m => m.Value).Where(tag => tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .GroupBy(tag => Attribute(tag, "name")).ToDictionary(g => g.Key, g => Attribute(g.Last(), "value"));
        fields["decision"] = decision;
        if (agentId is not null)
        {
            fields["agentId"] = agentId;
        }

        var antiforgery = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => c.StartsWith("portcullis_antiforgery", StringComparison.Ordinal)));
        var post = new HttpRequestMessage(HttpMethod.Post, "/oauth/authorize") { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", $"portcullis_session={sessionToken}; {antiforgery}");
        using var poster = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        return await poster.SendAsync(post);
    }

    public static IDictionary<string, string> QueryOf(HttpResponseMessage redirect)
    {
        Assert.True(redirect.StatusCode == HttpStatusCode.Redirect,
            $"expected a redirect, got {(int)redirect.StatusCode}: {redirect.Content.ReadAsStringAsync().GetAwaiter().GetResult()}\n"
            + string.Join('\n', HttpExtensions.Sinks.SelectMany(s => s.Lines).Where(l => l.StartsWith("Error", StringComparison.Ordinal)).Take(2)));
        var location = redirect.Headers.Location!.ToString();
        Assert.StartsWith(RedirectUri, location, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(new Uri(location).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    public async Task<HttpResponseMessage> TokenAsync(params (string Key, string Value)[] form) =>
        await server.Anonymous().PostAsync("/oauth/token", new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value))));

    /// <summary>Registration, consent as <paramref name="sessionToken"/>'s member, and the code exchange: the token answer.</summary>
    public async Task<(string ClientId, JsonElement Tokens)> AuthorizeAsync(string sessionToken, string agentId)
    {
        var clientId = await RegisterAsync();
        var (verifier, challenge) = Pkce();
        var query = QueryOf(await DecideAsync(sessionToken, AuthorizeUrl(clientId, challenge), agentId));
        var response = await TokenAsync(("grant_type", "authorization_code"), ("code", query["code"]), ("client_id", clientId),
            ("redirect_uri", RedirectUri), ("code_verifier", verifier), ("resource", "http://localhost/mcp"));
        await response.AssertStatus(HttpStatusCode.OK);
        return (clientId, await response.Json());
    }

    /// <summary>POSTs a 2026-07-28 <c>server/discover</c> to /mcp with <paramref name="token"/>: 200 when the token is accepted.</summary>
    public async Task<HttpResponseMessage> DiscoverAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "server/discover", @params = new { } }),
        };
        request.Headers.Add("Authorization", $"Bearer {token}");
        request.Headers.Add("Accept", "application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        return await server.Anonymous().SendAsync(request);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Attribute(string tag, string name) =>
        WebUtility.HtmlDecode(Regex.Match(tag, $"\\b{name}=\"([^\"]*)\"").Groups[1].Value);

    [GeneratedRegex("<input [^>]*>")]
    private static partial Regex InputTag();
}
