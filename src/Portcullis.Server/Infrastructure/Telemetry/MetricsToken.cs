using System.Security.Cryptography;
using System.Text;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Infrastructure.Telemetry;

/// <summary>The optional bearer token in front of <c>/metrics</c> (<c>Portcullis:Telemetry:Prometheus:BearerToken</c>).</summary>
public static class MetricsToken
{
    public static Func<HttpContext, RequestDelegate, Task> Require(string token)
    {
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        return async (http, next) =>
        {
            var given = Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString());
            // Constant time: the comparison must not tell a caller how much of the token it guessed.
            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                await next(http);
                return;
            }

            http.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Create(401, ErrorCodes.Unauthorized, "Unauthorized", "a valid metrics bearer token is required").ExecuteAsync(http);
        };
    }
}
