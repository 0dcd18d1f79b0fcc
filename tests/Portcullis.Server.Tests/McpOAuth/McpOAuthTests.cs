using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Server.Tests.Mcp;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.McpOAuth;

/// <summary>
/// OAuth 2.1 for <c>/mcp</c>: the C# SDK's own OAuth client discovers the authorization server, registers, sends the member
/// to the consent page, exchanges the code with PKCE and calls tools as the agent the member picked.
/// </summary>
public abstract class McpOAuthTests(ServerFixture server)
{
    private readonly OAuthFlow flow = new(server);

    [Fact]
    public async Task The_SDK_client_is_granted_access_as_the_chosen_agent_and_its_calls_are_that_agents()
    {
        var ws = await server.NewWorkspaceAsync();
        var admin = await ws.MemberTokenAsync("admin");
        string? consentedAs = null;
        var http = server.Factory.CreateClient();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri(OAuthFlow.RedirectUri),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "SDK test client" },
                AuthorizationCallbackHandler = async (context, ct) =>
                {
                    var answer = OAuthFlow.QueryOf(await flow.DecideAsync(admin, context.AuthorizationUri.PathAndQuery, ws.AgentId));
                    consentedAs = ws.AgentId;
                    return new AuthorizationResult { Code = answer["code"], State = answer["state"], Iss = answer["iss"] };
                },
            },
        }, http, ownsHttpClient: true);
        await using var client = await McpClient.CreateAsync(transport);

        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "refund.create");
        var call = await client.CallAsync("refund.create", new { charge = "ch_oauth", amount = 100 });
        Assert.False(call.IsError, call.Text());
        Assert.Equal(ws.AgentId, consentedAs);
        var run = (await ws.RunAsync(call.RunId())).GetProperty("run");
        Assert.Equal(ws.AgentId, run.GetProperty("agentId").GetString());

        var grants = await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/mcp-clients")).Json();
        var grant = Assert.Single(grants.EnumerateArray());
        Assert.Equal("SDK test client", grant.GetProperty("clientName").GetString());
        Assert.True(grant.GetProperty("active").GetBoolean());
        Assert.NotNull(grant.GetProperty("lastUsedAt").GetString());
    }

    [Fact]
    public async Task Metadata_names_the_authorization_server_and_what_it_supports()
    {
        var resource = await (await server.Anonymous().GetAsync("/.well-known/oauth-protected-resource/mcp")).Json();
        Assert.Equal("http://localhost", Assert.Single(resource.GetProperty("authorization_servers").EnumerateArray()).GetString());
        var metadata = await (await server.Anonymous().GetAsync("/.well-known/oauth-authorization-server")).Json();
        Assert.Equal("http://localhost", metadata.GetProperty("issuer").GetString());
        Assert.Equal("http://localhost/oauth/authorize", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("http://localhost/oauth/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal("http://localhost/oauth/register", metadata.GetProperty("registration_endpoint").GetString());
        Assert.Equal(["S256"], metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["none"], metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(metadata.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
    }

    [Fact]
    public async Task An_access_token_works_at_mcp_only_and_stops_when_the_grant_is_revoked()
    {
        var ws = await server.NewWorkspaceAsync();
        var (_, tokens) = await flow.AuthorizeAsync(await ws.MemberTokenAsync("admin"), ws.AgentId!);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.StartsWith("pma_", access, StringComparison.Ordinal);
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.Equal(3600, tokens.GetProperty("expires_in").GetInt32());
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await flow.DiscoverAsync(access)).StatusCode);
        // The token's audience is /mcp (RFC 8707): the REST API does not take it.
        await (await server.WithBearer(access).PostJson("/api/actions/request", new { })).AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");

        var grant = (await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/mcp-clients")).Json())[0].GetProperty("id").GetString();
        await (await ws.Owner().DeleteAsync($"/api/agents/{ws.AgentId}/mcp-clients/{grant}")).AssertStatus(HttpStatusCode.NoContent);
        var refused = await flow.DiscoverAsync(access);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var refresh = await flow.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", tokens.GetProperty("refresh_token").GetString()!), ("client_id", ClientOf(grant)));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal(["mcp_client.revoked", "mcp_client.authorized"], await AuditTypesAsync(ws));
    }

    [Fact]
    public async Task An_expired_access_token_is_refused()
    {
        var ws = await server.NewWorkspaceAsync();
        var (_, tokens) = await flow.AuthorizeAsync(await ws.MemberTokenAsync("admin"), ws.AgentId!);
        var access = tokens.GetProperty("access_token").GetString()!;
        var database = server.Factory.Services.GetRequiredService<Database>();
        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE mcp_oauth_tokens SET expires_at = 1 WHERE lookup = @lookup", new { lookup = access[..12] }, t));
        Assert.Equal(HttpStatusCode.Unauthorized, (await flow.DiscoverAsync(access)).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_rotates_and_a_replayed_one_revokes_the_grant()
    {
        var ws = await server.NewWorkspaceAsync();
        var (clientId, first) = await flow.AuthorizeAsync(await ws.MemberTokenAsync("admin"), ws.AgentId!);
        var refresh1 = first.GetProperty("refresh_token").GetString()!;
        var rotated = await flow.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh1), ("client_id", clientId));
        await rotated.AssertStatus(HttpStatusCode.OK);
        var second = await rotated.Json();
        Assert.NotEqual(refresh1, second.GetProperty("refresh_token").GetString());
        Assert.Equal("no-store", rotated.Headers.CacheControl?.ToString());
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await flow.DiscoverAsync(second.GetProperty("access_token").GetString()!)).StatusCode);

        var replay = await flow.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh1), ("client_id", clientId));
        Assert.Equal("invalid_grant", await ErrorOf(replay));
        Assert.Equal(HttpStatusCode.Unauthorized, (await flow.DiscoverAsync(second.GetProperty("access_token").GetString()!)).StatusCode);
    }

    [Fact]
    public async Task A_code_is_bound_to_its_verifier_client_and_redirect_and_a_reused_code_revokes_what_it_issued()
    {
        var ws = await server.NewWorkspaceAsync();
        var admin = await ws.MemberTokenAsync("admin");
        var clientId = await flow.RegisterAsync();
        var otherClient = await flow.RegisterAsync();
        var (verifier, challenge) = OAuthFlow.Pkce();
        var code = OAuthFlow.QueryOf(await flow.DecideAsync(admin, OAuthFlow.AuthorizeUrl(clientId, challenge), ws.AgentId))["code"];
        (string, string)[] Exchange(string client, string v, string redirect) =>
            [("grant_type", "authorization_code"), ("code", code), ("client_id", client), ("redirect_uri", redirect), ("code_verifier", v)];

        Assert.Equal("invalid_grant", await ErrorOf(await flow.TokenAsync(Exchange(clientId, OAuthFlow.Pkce().Verifier, OAuthFlow.RedirectUri))));
        Assert.Equal("invalid_grant", await ErrorOf(await flow.TokenAsync(Exchange(otherClient, verifier, OAuthFlow.RedirectUri))));
        Assert.Equal("invalid_grant", await ErrorOf(await flow.TokenAsync(Exchange(clientId, verifier, "http://127.0.0.1:1/other"))));
        Assert.Equal("invalid_target", await ErrorOf(await flow.TokenAsync([.. Exchange(clientId, verifier, OAuthFlow.RedirectUri), ("resource", "https://elsewhere.example/mcp")])));

        var ok = await flow.TokenAsync(Exchange(clientId, verifier, OAuthFlow.RedirectUri));
        await ok.AssertStatus(HttpStatusCode.OK);
        var access = (await ok.Json()).GetProperty("access_token").GetString()!;
        Assert.Equal("invalid_grant", await ErrorOf(await flow.TokenAsync(Exchange(clientId, verifier, OAuthFlow.RedirectUri))));
        Assert.Equal(HttpStatusCode.Unauthorized, (await flow.DiscoverAsync(access)).StatusCode);
    }

    [Fact]
    public async Task Denying_sends_access_denied_back_with_state_and_issuer_and_grants_nothing()
    {
        var ws = await server.NewWorkspaceAsync();
        var clientId = await flow.RegisterAsync();
        var answer = OAuthFlow.QueryOf(await flow.DecideAsync(await ws.MemberTokenAsync("admin"), OAuthFlow.AuthorizeUrl(clientId, OAuthFlow.Pkce().Challenge, state: "s-42"), ws.AgentId, "deny"));
        Assert.Equal("access_denied", answer["error"]);
        Assert.Equal("s-42", answer["state"]);
        Assert.Equal("http://localhost", answer["iss"]);
        Assert.Empty((await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/mcp-clients")).Json()).EnumerateArray());
    }

    [Fact]
    public async Task Only_an_admin_can_grant_and_only_an_agent_of_their_own_workspace()
    {
        var ws = await server.NewWorkspaceAsync();
        var other = await server.NewWorkspaceAsync();
        var clientId = await flow.RegisterAsync();
        var url = OAuthFlow.AuthorizeUrl(clientId, OAuthFlow.Pkce().Challenge);

        var approver = await flow.DecideAsync(await ws.MemberTokenAsync("approver"), url, ws.AgentId);
        Assert.Equal(HttpStatusCode.Forbidden, approver.StatusCode);
        var foreign = await flow.DecideAsync(await ws.MemberTokenAsync("admin"), url, other.AgentId);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Empty((await (await ws.Owner().GetAsync($"/api/agents/{ws.AgentId}/mcp-clients")).Json()).EnumerateArray());
        Assert.Empty((await (await other.Owner().GetAsync($"/api/agents/{other.AgentId}/mcp-clients")).Json()).EnumerateArray());
        await (await ws.Owner().GetAsync($"/api/agents/{other.AgentId}/mcp-clients")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task The_consent_page_never_redirects_to_an_unregistered_uri_and_sends_other_errors_back()
    {
        var ws = await server.NewWorkspaceAsync();
        var admin = await ws.MemberTokenAsync("admin");
        var clientId = await flow.RegisterAsync();
        using var browser = flow.Browser(admin);
        var challenge = OAuthFlow.Pkce().Challenge;

        var unknownClient = await browser.GetAsync(OAuthFlow.AuthorizeUrl("mcl_unknown", challenge));
        Assert.Equal(HttpStatusCode.BadRequest, unknownClient.StatusCode);
        var wrongRedirect = await browser.GetAsync(OAuthFlow.AuthorizeUrl(clientId, challenge, redirectUri: "https://attacker.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongRedirect.StatusCode);
        Assert.Null(wrongRedirect.Headers.Location);

        Assert.Equal("invalid_request", OAuthFlow.QueryOf(await browser.GetAsync(OAuthFlow.AuthorizeUrl(clientId, "too-short")))["error"]);
        Assert.Equal("invalid_target", OAuthFlow.QueryOf(await browser.GetAsync(OAuthFlow.AuthorizeUrl(clientId, challenge, resource: "https://other.example/mcp")))["error"]);

        using var anonymous = server.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await anonymous.GetAsync(OAuthFlow.AuthorizeUrl(clientId, challenge));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("/login?returnUrl=%2Foauth%2Fauthorize", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"redirect_uris":["http://example.com/cb"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["javascript:alert(1)"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://example.com/cb#frag"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":[]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://example.com/cb"],"grant_types":["client_credentials"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://example.com/cb"],"client_name":42}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":""", "invalid_client_metadata")]
    public async Task Registration_refuses_bad_metadata(string body, string error)
    {
        var response = await server.Anonymous().PostRaw("/oauth/register", body);
        Assert.Equal(error, await ErrorOf(response));
    }

    [Fact]
    public async Task The_token_endpoint_answers_oauth_errors_for_bad_requests()
    {
        Assert.Equal("unsupported_grant_type", await ErrorOf(await flow.TokenAsync(("grant_type", "password"))));
        Assert.Equal("invalid_request", await ErrorOf(await flow.TokenAsync(("grant_type", "authorization_code"))));
        Assert.Equal("invalid_grant", await ErrorOf(await flow.TokenAsync(("grant_type", "authorization_code"), ("code", "pmc_forged0000000000000000000000"), ("client_id", "x"))));
        Assert.Equal("invalid_request", await ErrorOf(await server.Anonymous().PostJson("/oauth/token", new { grant_type = "authorization_code" })));
    }

    private static async Task<string?> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Json()).GetProperty("error").GetString();
    }

    private string ClientOf(string? grantId) =>
        server.Factory.Services.GetRequiredService<Database>().ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT client_id FROM mcp_oauth_grants WHERE id = @grantId", new { grantId })).GetAwaiter().GetResult()!;

    private async Task<IReadOnlyList<string>> AuditTypesAsync(TestWorkspace ws)
    {
        var audit = await (await ws.Owner().GetAsync("/api/audit?action=mcp_client.*")).Json();
        return audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToList();
    }
}

public sealed class McpOAuthSqliteTests(SqliteServer s) : McpOAuthTests(s), IClassFixture<SqliteServer>;

public sealed class McpOAuthPostgresTests(PostgresServer s) : McpOAuthTests(s), IClassFixture<PostgresServer>;
