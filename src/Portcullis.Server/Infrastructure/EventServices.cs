using Portcullis.Connectors.Security;
using Portcullis.Server.Features.Subscriptions;

namespace Portcullis.Server.Infrastructure;

/// <summary>Service registrations and routes of event subscriptions: the outbox, the store and the signed delivery worker.</summary>
public static class EventServices
{
    public static IServiceCollection AddEventSubscriptions(this IServiceCollection services)
    {
        services.AddOptions<EventOptions>().BindConfiguration(EventOptions.Section)
            .Validate(o => o.PollIntervalMs > 0 && o.TimeoutSeconds > 0 && o.MaxSubscriptions > 0, "event delivery intervals, time-outs and limits must be positive")
            .ValidateOnStart();
        services.AddSingleton<EventOutbox>();
        services.AddSingleton<EventSubscriptionStore>();
        services.AddSingleton<EventDeliveryQueries>();
        // SECURITY: as for callbacks, no automatic redirects and every connection checked by the outbound guard.
        services.AddSingleton(sp => new EventSender(
            new HttpClient(sp.GetRequiredService<OutboundGuard>().CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<OutboundGuard>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<EventDeliverer>();
        return services;
    }

    public static RouteGroupBuilder MapEventSubscriptions(this RouteGroupBuilder group) => EventSubscriptionsApi.Map(group);
}
