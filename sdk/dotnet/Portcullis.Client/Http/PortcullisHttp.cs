namespace Portcullis.Client.Http;

/// <summary>The HTTP handler the client sends with when it, or the DI registration, creates one.</summary>
internal static class PortcullisHttp
{
    public static HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        // A redirect is an answer, not followed: following would resend the body elsewhere.
        AllowAutoRedirect = false,
        // Connections are recycled so that DNS changes (a fail-over, a new load balancer) are seen.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
