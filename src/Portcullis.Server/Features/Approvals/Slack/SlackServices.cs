using Portcullis.Connectors.Security;
using Portcullis.Server.Infrastructure.Jobs;

namespace Portcullis.Server.Features.Approvals.Slack;

/// <summary>Service registrations of approvals in Slack: the app's settings, member links, the Web API client and the three jobs.</summary>
public static class SlackServices
{
    public static IServiceCollection AddSlackApprovals(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section)
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _) && o.TimeoutSeconds > 0 && o.MaxAttempts > 0,
                "Portcullis:Slack needs an absolute ApiBaseUrl and positive TimeoutSeconds and MaxAttempts")
            .ValidateOnStart();
        services.AddSingleton<SlackIntegrationStore>();
        services.AddSingleton<SlackLinks>();
        services.AddSingleton<SlackConnect>();
        services.AddSingleton<SlackMessages>();
        services.AddSingleton<SlackDecisions>();
        // SECURITY: every connection (the Web API and interactions' response_url) goes through the outbound guard; no redirects.
        services.AddSingleton(sp => new SlackWebApi(
            new HttpClient(sp.GetRequiredService<OutboundGuard>().CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<OutboundGuard>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlackOptions>>()));
        services.AddSingleton<IJobHandler, SlackPostJob>();
        services.AddSingleton<IJobHandler, SlackUpdateJob>();
        services.AddSingleton<IJobHandler, SlackEscalationJob>();
        return services;
    }
}
