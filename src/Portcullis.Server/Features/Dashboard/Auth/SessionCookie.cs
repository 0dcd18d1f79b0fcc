namespace Portcullis.Server.Features.Dashboard.Auth;

/// <summary>
/// The dashboard's sign-in cookie. It carries a <c>pcs_</c> session token issued by MemberTokens, so the
/// server checks it against the database on every request and revocation (sign-out, role change) is immediate.
/// </summary>
public static class SessionCookie
{
    public const string Scheme = "PortcullisCookie";
    public const string Name = "portcullis_session";

    public static void Append(HttpContext http, string token, DateTimeOffset expires) =>
        http.Response.Cookies.Append(Name, token, Options(http, expires));

    public static void Delete(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http, null));

    // HttpOnly keeps scripts away from the token; Lax stops cross-site POSTs from carrying it.
    private static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
