namespace Portcullis.Server.Infrastructure.Http;

/// <summary>Gives every request an id, echoed as <c>X-Request-Id</c> and included in problem details.</summary>
public static class RequestIds
{
    public const string Header = "X-Request-Id";

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var given = http.Request.Headers[Header].ToString();
        // A caller's id is echoed only when it is short and plain, so it cannot inject into logs or headers.
        if (given.Length is > 0 and <= 64 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            http.TraceIdentifier = given;
        }

        http.Response.Headers[Header] = http.TraceIdentifier;
        await next(http);
    });
}
