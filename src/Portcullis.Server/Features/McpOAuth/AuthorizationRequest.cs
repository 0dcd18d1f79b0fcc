using Microsoft.AspNetCore.WebUtilities;

namespace Portcullis.Server.Features.McpOAuth;

/// <summary>
/// An authorization request (<c>/oauth/authorize</c>) as the consent page receives it, checked as OAuth 2.1 §4.1.2.1
/// orders: without a known client and one of its exact redirect URIs nothing is sent anywhere (the page shows the
/// error); any other problem goes back to the client's redirect URI as <c>error</c>, with <c>state</c> and <c>iss</c>.
/// </summary>
public sealed record AuthorizationRequest(McpOAuthClient Client, string RedirectUri, string CodeChallenge, string? State, string Resource, string Scope)
{
    public const string McpScope = "mcp";

    public abstract record Checked;

    /// <summary>Not safe to redirect: the page says why.</summary>
    public sealed record Refused(string Message) : Checked;

    /// <summary>An error for the client, sent to its redirect URI.</summary>
    public sealed record ErrorRedirect(string Url) : Checked;

    public sealed record Valid(AuthorizationRequest Request) : Checked;

    public static async Task<Checked> CheckAsync(Func<string, string?> param, McpOAuthClients clients, string issuer, string resource, CancellationToken ct)
    {
        var client = await clients.FindAsync(param("client_id"), ct);
        if (client is null)
        {
            return new Refused("The application asking for access is not registered here (unknown `client_id`).");
        }

        // OAuth 2.1 §2.3.2: the redirect URI may be left out only when the client registered exactly one.
        var redirect = param("redirect_uri") ?? (client.RedirectUris.Count == 1 ? client.RedirectUris[0] : null);
        if (redirect is null || !client.Allows(redirect))
        {
            return new Refused("The redirect URI is not one the application registered, so Portcullis will not send you there.");
        }

        var state = param("state");
        string Back(string error, string description) => Redirect(redirect, issuer, state, ("error", error), ("error_description", description));
        if (param("response_type") != "code")
        {
            return new ErrorRedirect(Back(OAuthError.UnsupportedResponseType, "only `response_type=code` is supported"));
        }

        if (param("code_challenge_method") != "S256" || !Pkce.IsChallenge(param("code_challenge")))
        {
            return new ErrorRedirect(Back(OAuthError.InvalidRequest, "PKCE is required: `code_challenge` (43 characters) with `code_challenge_method=S256`"));
        }

        if (param("resource") is { Length: > 0 } asked && !Resources.Same(asked, resource))
        {
            return new ErrorRedirect(Back(OAuthError.InvalidTarget, $"the only resource here is `{resource}`"));
        }

        var scopes = (param("scope") ?? McpScope).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Any(s => s != McpScope))
        {
            return new ErrorRedirect(Back(OAuthError.InvalidScope, $"the only scope is `{McpScope}`"));
        }

        return new Valid(new AuthorizationRequest(client, redirect, param("code_challenge")!, state, resource, McpScope));
    }

    /// <summary>The client's redirect URI with the answer added to its query; <c>iss</c> per RFC 9207 against mix-up attacks.</summary>
    public static string Redirect(string redirectUri, string issuer, string? state, params (string Key, string Value)[] values)
    {
        var url = values.Aggregate(redirectUri, (u, v) => QueryHelpers.AddQueryString(u, v.Key, v.Value));
        url = state is null ? url : QueryHelpers.AddQueryString(url, "state", state);
        return QueryHelpers.AddQueryString(url, "iss", issuer);
    }
}
