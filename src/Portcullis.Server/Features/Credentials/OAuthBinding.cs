using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Portcullis.Server.Features.Dashboard.Auth;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Security;

namespace Portcullis.Server.Features.Credentials;

/// <summary>
/// SECURITY: ties an OAuth connection to the browser session and member that started it. Start sets a random cookie
/// (one per flow, scoped to the OAuth paths) and keeps only its hash with the state; the callback finishes the flow only
/// when that cookie comes back, or when the same member's dashboard session does. A state alone (say, a link someone
/// was tricked into opening) connects nothing.
/// </summary>
public static class OAuthBinding
{
    private const string CookiePrefix = "portcullis_oauth_";
    private const string CookiePath = "/api/credentials/oauth";

    /// <summary>Sets the flow's cookie on the answer and returns the hash to store with the state.</summary>
    public static string Issue(HttpContext http, string state, TimeSpan lifetime)
    {
        var secret = SecretTokens.New("oab_");
        http.Response.Cookies.Append(CookieName(state), secret, new CookieOptions
        {
            HttpOnly = true,
            // Lax: the provider's redirect back is a top-level GET navigation, which carries it.
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Path = CookiePath,
            MaxAge = lifetime,
            IsEssential = true,
        });
        return Hash(secret);
    }

    /// <summary>Whether the callback comes from the session that started <paramref name="pending"/>.</summary>
    public static async Task<bool> MatchesAsync(HttpContext http, OAuthState pending)
    {
        var cookie = http.Request.Cookies[CookieName(pending.State)];
        http.Response.Cookies.Delete(CookieName(pending.State), new CookieOptions { Path = CookiePath });
        if (cookie is not null && pending.BindingHash is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(cookie)), Encoding.ASCII.GetBytes(pending.BindingHash)))
        {
            return true;
        }

        var session = await http.AuthenticateAsync(SessionCookie.Scheme);
        return session.Succeeded && session.Principal.GetMember() is { } member
            && member.UserId == pending.CreatedBy && member.WorkspaceId == pending.WorkspaceId;
    }

    // The state is random already; its first characters keep parallel flows' cookies apart.
    private static string CookieName(string state) => CookiePrefix + new string(state.Where(char.IsLetterOrDigit).Take(16).ToArray());

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
