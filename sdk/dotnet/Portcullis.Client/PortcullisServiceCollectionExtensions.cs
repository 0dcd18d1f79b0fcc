using Microsoft.Extensions.Options;
using Portcullis.Client;
using Portcullis.Client.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="PortcullisClient"/> with dependency injection.</summary>
public static class PortcullisServiceCollectionExtensions
{
    /// <summary>The name of the <c>IHttpClientFactory</c> client the Portcullis client sends with.</summary>
    public const string HttpClientName = "Portcullis.Client";

    /// <summary>
    /// Registers <see cref="PortcullisClient"/> as a typed client of <c>IHttpClientFactory</c>, so its
    /// connections are pooled and recycled by the factory.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the base URL, agent key, time-out and retries.</param>
    /// <returns>The HTTP client builder, to add handlers or configure the primary handler.</returns>
    public static IHttpClientBuilder AddPortcullisClient(this IServiceCollection services, Action<PortcullisClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return services
            // The client enforces its own per-attempt time-out; the factory's 100 s default would cut long-polls.
            .AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(PortcullisHttp.CreateHandler)
            .AddTypedClient((http, provider) =>
                new PortcullisClient(http, provider.GetRequiredService<IOptions<PortcullisClientOptions>>().Value));
    }
}
