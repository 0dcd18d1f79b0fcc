using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Connectors;
using Portcullis.Connectors.OAuth;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>
/// OAuth 2.0 authorization code with PKCE for Gmail and HubSpot. <c>start</c> records a single-use
/// <c>state</c> with the PKCE verifier and sends the user to the provider; the provider sends them back
/// to <c>callback</c>, which exchanges the code and stores the tokens sealed, as a workspace credential.
/// </summary>
public static class OAuthApi
{
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);
    private static readonly string[] OAuthProviders = ConnectorCatalog.All.Where(d => d.OAuth is not null).Select(d => d.Provider).ToArray();

    public sealed record StartRequest(string Provider, string Name, string? AgentId);

    public sealed record StartResponse(string AuthorizationUrl, string State, string ExpiresAt);

    public static RouteGroupBuilder MapOAuth(this RouteGroupBuilder group)
    {
        group.MapPost("/credentials/oauth/start", StartJson).RequireAuthorization(RolePolicies.Admin).Accepts<StartRequest>("application/json");
        group.MapGet("/credentials/oauth/start", StartRedirect).RequireAuthorization(RolePolicies.Admin);
        group.MapGet("/credentials/oauth/callback", Callback).AllowAnonymous();
        return group;
    }

    public static async Task<Results<Ok<StartResponse>, ProblemHttpResult>> StartJson(
        HttpContext http, Database database, CredentialStore store, OAuthClient oauth, IOptions<OAuthAppOptions> apps, IOptions<LimitsOptions> limits,
        TimeProvider time)
    {
        var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var body = read.Document!;
        var f = new JsonFields(body.RootElement, new FieldErrors());
        var provider = f.OneOf("provider", OAuthProviders, required: true);
        var name = f.String("name", maxLength: 100);
        var agentId = f.String("agentId", maxLength: 64);
        if (f.Errors.Any)
        {
            return Problems.Validation(f.Errors);
        }

        return await StartAsync(http, database, store, oauth, apps.Value, time, provider!, name, agentId);
    }

    /// <summary>The dashboard's popup opens this; it answers with a redirect to the provider.</summary>
    public static async Task<IResult> StartRedirect(
        HttpContext http, Database database, CredentialStore store, OAuthClient oauth, IOptions<OAuthAppOptions> apps, TimeProvider time,
        string? provider, string? name, string? agentId)
    {
        if (provider is null || !OAuthProviders.Contains(provider))
        {
            return Problems.Validation("provider", "must be one of `gmail`, `hubspot`");
        }

        var started = await StartAsync(http, database, store, oauth, apps.Value, time, provider, name, agentId);
        return started.Result is Ok<StartResponse> ok ? Results.Redirect(ok.Value!.AuthorizationUrl) : started.Result;
    }

    private static async Task<Results<Ok<StartResponse>, ProblemHttpResult>> StartAsync(
        HttpContext http, Database database, CredentialStore store, OAuthClient oauth, OAuthAppOptions apps, TimeProvider time, string provider, string? name,
        string? agentId)
    {
        var member = http.User.GetMember();
        // SECURITY: the agent the credential will be linked to must be one of this workspace's; another's is simply not found.
        if (agentId is not null && !await AgentExistsAsync(database, member.WorkspaceId, agentId, http.RequestAborted))
        {
            return Problems.NotFound($"agent `{agentId}`");
        }

        var app = apps.For(provider);
        if (!app.Configured)
        {
            return Problems.Create(400, "oauth_not_configured", "OAuth app not configured",
                $"set {OAuthAppOptions.SectionOf(provider)}:ClientId and ClientSecret to connect {provider}");
        }

        var state = OAuthClient.CreateState();
        var pkce = OAuthClient.CreatePkce();
        var redirectUri = RedirectUri(http, apps);
        var expiresAt = time.Now() + (long)StateLifetime.TotalMilliseconds;
        await store.SaveOAuthStateAsync(new OAuthState
        {
            State = state,
            WorkspaceId = member.WorkspaceId,
            Provider = provider,
            Name = name ?? $"{provider} (OAuth)",
            AgentId = agentId,
            CreatedBy = member.UserId,
            RedirectUri = redirectUri,
            CodeVerifier = pkce.Verifier,
            CreatedAt = time.Now(),
            ExpiresAt = expiresAt,
            BindingHash = OAuthBinding.Issue(http, state, StateLifetime),
        }, http.RequestAborted);
        var url = oauth.BuildAuthorizationUrl(provider, app.ClientId!, redirectUri, state, pkce.Challenge);
        return TypedResults.Ok(new StartResponse(url.ToString(), state, Times.ToIso(expiresAt)));
    }

    public static async Task<IResult> Callback(HttpContext http, Database database, OAuthClient oauth, CredentialStore store, AuditTrail audit,
        IOptions<OAuthAppOptions> apps, TimeProvider time, string? code, string? state, string? error)
    {
        if (string.IsNullOrEmpty(state))
        {
            return Page(400, "The sign-in could not be completed: the provider's answer carried no state.");
        }

        // Single use: the state row is taken (deleted) by the first callback that presents it.
        var pending = await store.TakeOAuthStateAsync(state, http.RequestAborted);

        if (pending is null || pending.ExpiresAt < time.Now())
        {
            return Page(400, "This sign-in link has expired or was already used. Start the connection again from Portcullis.");
        }

        if (!await OAuthBinding.MatchesAsync(http, pending))
        {
            return Page(403, "This sign-in was started in another browser session. Nothing was connected: start the connection again from Portcullis.");
        }

        if (error is not null || string.IsNullOrEmpty(code))
        {
            return Page(400, $"The provider did not grant access ({WebUtility.HtmlEncode(error ?? "no code")}). Nothing was connected.");
        }

        var app = apps.Value.For(pending.Provider);
        var tokens = await oauth.ExchangeCodeAsync(pending.Provider, app.ClientId!, app.ClientSecret!, pending.RedirectUri, code, pending.CodeVerifier, http.RequestAborted);
        if (!tokens.Ok)
        {
            return Page(502, $"The provider refused the sign-in ({WebUtility.HtmlEncode(tokens.Error)}). Nothing was connected.");
        }

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["accessToken"] = tokens.AccessToken!,
            ["refreshToken"] = tokens.RefreshToken ?? "",
            ["expiresAt"] = tokens.ExpiresAt?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "",
        };
        var row = await store.CreateAsync(pending.WorkspaceId, Actor.User(pending.CreatedBy), pending.Provider, pending.Name, "oauth", secrets, http.RequestAborted);
        if (pending.AgentId is not null)
        {
            await database.WriteAsync(async (c, t) =>
            {
                if (await CredentialStore.LinkAsync(c, t, pending.WorkspaceId, row.Id, pending.AgentId, time.Now()))
                {
                    await audit.AppendAsync(c, t, pending.WorkspaceId, Actor.User(pending.CreatedBy), "credential.linked", "credential", row.Id, new { agentId = pending.AgentId });
                }
            }, http.RequestAborted);
        }

        return Page(200, $"{WebUtility.HtmlEncode(pending.Provider)} is connected as {WebUtility.HtmlEncode(row.Hint)}. You can close this window.", row.Id);
    }

    private static async Task<bool> AgentExistsAsync(Database database, string workspaceId, string agentId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT COUNT(*) FROM agents WHERE id = @agentId AND workspace_id = @workspaceId", new { agentId, workspaceId }) > 0;
    }

    private static string RedirectUri(HttpContext http, OAuthAppOptions apps) =>
        $"{(apps.PublicBaseUrl ?? $"{http.Request.Scheme}://{http.Request.Host}").TrimEnd('/')}/api/credentials/oauth/callback";

    // The callback is a browser page (it runs in the OAuth popup): it tells the opener and can be closed.
    private static IResult Page(int status, string message, string? credentialId = null)
    {
        var notify = credentialId is null ? "" :
            $"<script>if (window.opener) {{ window.opener.postMessage({{ type: 'portcullis-oauth', credentialId: '{credentialId}' }}, window.location.origin); }}</script>";
        var html = $"<!doctype html><html><head><meta charset=\"utf-8\"><title>Portcullis</title></head><body><p>{message}</p>{notify}</body></html>";
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }
}
